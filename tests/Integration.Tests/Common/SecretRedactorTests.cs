using Integration.Common;

namespace Integration.Tests.Common;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Known_secrets_and_credential_like_json_members_are_masked()
    {
        const string body = """{"success":false,"message":"refresh abc123secret rejected","RefreshToken":"r-1","data":{"IdToken":"eyJx","api_key":"k","count":3}}""";

        var redacted = SecretRedactor.Redact(body, "abc123secret");

        Assert.Equal("""{"success":false,"message":"refresh *** rejected","RefreshToken":"***","data":{"IdToken":"***","api_key":"***","count":3}}""", redacted);
    }

    [Fact]
    public void Long_bodies_are_truncated()
    {
        var redacted = SecretRedactor.Redact(new string('x', 10_000));

        Assert.True(redacted.Length < 2100);
        Assert.EndsWith("(truncated)", redacted, StringComparison.Ordinal);
    }
}
