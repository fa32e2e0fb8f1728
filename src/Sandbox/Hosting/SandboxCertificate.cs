using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Hosting;

/// <summary>The self-signed <c>CN=localhost</c> server certificate for the Key Vault listener, optionally kept in a PFX file.</summary>
internal static class SandboxCertificate
{
    public static X509Certificate2 LoadOrCreate(string? path, ILogger logger)
    {
        if (path is not null && File.Exists(path) && TryLoad(path, logger) is { } existing)
        {
            logger.LogInformation("Sandbox certificate {Thumbprint} loaded from {CertificatePath}", existing.Thumbprint, path);
            return existing;
        }

        var pfx = CreatePfx();
        if (path is not null)
        {
            Save(path, pfx);
        }

        var created = X509CertificateLoader.LoadPkcs12(pfx, password: null);
        if (path is null)
        {
            logger.LogInformation("Sandbox certificate {Thumbprint} created in memory", created.Thumbprint);
        }
        else
        {
            logger.LogInformation("Sandbox certificate {Thumbprint} created and saved to {CertificatePath}", created.Thumbprint, path);
        }

        return created;
    }

    private static X509Certificate2? TryLoad(string path, ILogger logger)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        }
        catch (CryptographicException e)
        {
            logger.LogWarning("Sandbox certificate at {CertificatePath} is unreadable ({Failure}); creating a new one", path, e.Message);
            return null;
        }

        var now = DateTimeOffset.Now;
        if (certificate.HasPrivateKey && certificate.NotBefore <= now && certificate.NotAfter > now.AddDays(1))
        {
            return certificate;
        }

        logger.LogWarning("Sandbox certificate at {CertificatePath} has no private key or is (nearly) expired; creating a new one", path);
        certificate.Dispose();
        return null;
    }

    private static byte[] CreatePfx()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    private static void Save(string path, byte[] pfx)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllBytes(path, pfx);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
