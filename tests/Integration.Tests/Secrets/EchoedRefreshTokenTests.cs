using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Integration.Tokens;

namespace Integration.Tests.Secrets;

/// <summary>A token endpoint that echoes the refresh token it refused: no sink (log, outcome, exception) shows it.</summary>
public sealed class EchoedRefreshTokenTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    [Fact]
    public async Task A_success_false_answer_whose_message_echoes_the_refresh_token_is_masked_in_every_sink()
    {
        var refreshToken = Sandbox.CurrentRefreshToken; // opaque, not JWT-shaped: only the known-secrets registry can catch it
        Sandbox.Faults.Enqueue(Tokens, Fault.Echoing(200, $$"""{"success":false,"message":"refresh token {{Fault.CredentialPlaceholder}} is revoked"}"""));

        var thrown = await Assert.ThrowsAsync<TokenRefreshFailedException>(async () => await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None));

        Assert.Contains("(message: refresh token *** is revoked)", thrown.Message, StringComparison.Ordinal);
        var error = await App.Logs.WaitForAsync(l => l.Message.Contains("without usable tokens", StringComparison.Ordinal));
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, App.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, thrown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_400_whose_text_echoes_the_refresh_token_is_masked_in_the_log_and_the_outcome()
    {
        var refreshToken = Sandbox.CurrentRefreshToken;
        Sandbox.Faults.Enqueue(Tokens, Fault.Echoing(400, $$"""{"success":false,"detail":"cannot redeem {{Fault.CredentialPlaceholder}}"}"""));

        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.IsType<TokenRefreshOutcome.Rejected>(outcome);
        Assert.Contains(App.Logs.Lines, l => l.Message.Contains("cannot redeem ***", StringComparison.Ordinal));
        Assert.DoesNotContain(refreshToken, App.Logs.AllText + outcome.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_echoes_the_refresh_token_in_the_body_or_the_bearer_in_the_header()
    {
        var tokenUrl = Sandbox.TokenUrl;
        Sandbox.Faults.Enqueue(Tokens, Fault.Echoing(400, $"no: {Fault.CredentialPlaceholder}"), Fault.Echoing(400, $"no: {Fault.CredentialPlaceholder}"));
        using var http = new HttpClient();

        using var byBody = await http.PostAsync(tokenUrl, new StringContent("""{"refreshToken":"r-echoed-123"}""", System.Text.Encoding.UTF8, "application/json"));
        using var byHeader = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new StringContent("{}") };
        byHeader.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "b-echoed-456");
        using var answered = await http.SendAsync(byHeader);

        Assert.Equal("no: r-echoed-123", await byBody.Content.ReadAsStringAsync());
        Assert.Equal("no: b-echoed-456", await answered.Content.ReadAsStringAsync());
    }
}
