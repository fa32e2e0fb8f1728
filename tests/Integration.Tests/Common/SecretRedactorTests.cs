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

    [Theory]
    [InlineData("""{"detail":"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl is expired"}""", """{"detail":"token *** is expired"}""")]
    [InlineData("""{"error":"Authorization: Bearer opaque-credential-123 refused"}""", """{"error":"Authorization: Bearer *** refused"}""")]
    [InlineData("""{"error":"bearer abc.def/ghi+jkl== refused"}""", """{"error":"bearer *** refused"}""")]
    [InlineData("the bearer (Tokens:BearerToken) is missing", "the bearer (Tokens:BearerToken) is missing")]
    [InlineData("""{"rows":[{"row":3,"error":"name is INVALID"}]}""", """{"rows":[{"row":3,"error":"name is INVALID"}]}""")]
    public void Jwt_shaped_strings_and_bearer_credentials_are_masked_and_nothing_else_changes(string text, string masked)
    {
        Assert.Equal(masked, SecretRedactor.MaskSecrets(text, []));
    }

    [Fact]
    public void Known_values_are_masked_longest_first_and_short_ones_are_ignored()
    {
        var masked = SecretRedactor.MaskSecrets("refresh-token-1-rotated and refresh-token-1 and short", ["refresh-token-1", "refresh-token-1-rotated", "short"]);

        Assert.Equal("*** and *** and short", masked);
    }

    [Fact]
    public void Known_secrets_remember_values_read_and_mask_them_without_truncating()
    {
        var known = new KnownSecrets();
        known.Add("sandbox-fragment-api-token");
        known.Add(null);
        var body = "{\"detail\":\"token sandbox-fragment-api-token\",\"pad\":\"" + new string('x', 5000) + "\"}";

        var masked = known.Mask(body);

        Assert.DoesNotContain("sandbox-fragment-api-token", masked, StringComparison.Ordinal);
        Assert.Equal(body.Length - "sandbox-fragment-api-token".Length + 3, masked.Length);
        Assert.DoesNotContain("sandbox-fragment-api-token", known.Redact(body), StringComparison.Ordinal);
    }

    [Fact]
    public void Known_secrets_keep_the_most_recent_values()
    {
        var known = new KnownSecrets();
        for (var i = 0; i <= KnownSecrets.Capacity; i++)
        {
            known.Add($"secret-value-{i:D4}");
        }

        Assert.Equal("secret-value-0000 ***", known.Mask($"secret-value-0000 secret-value-{KnownSecrets.Capacity:D4}"));
    }
}
