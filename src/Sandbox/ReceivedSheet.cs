namespace Integration.Sandbox;

/// <summary>
/// One uploaded CSV section. <paramref name="Records"/> counts the header too; <paramref name="Sha256Hex"/> is lowercase hex of the raw bytes;
/// <paramref name="Content"/> is the UTF-8 text, or null when the section exceeded <see cref="SandboxOptions.KeepContentUpToBytes"/>.
/// </summary>
public sealed record ReceivedSheet(string FieldName, string? FileName, long Bytes, int Records, string Sha256Hex, string? Content);
