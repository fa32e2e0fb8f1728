using System.Text.Json;
using Integration.Operations.Api;
using Integration.Operations.Identity;
using Integration.Tests.DeadLetters;
using Integration.Tests.Fixtures;
using Integration.Tests.Operations.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations;

/// <summary>
/// The ops API as the Functions and the local console hand it HTTP calls, on the app composed against Azurite with
/// App Service Authentication in front: routes and their roles, the forgery guard on state-changing calls, pages,
/// and hostile input (a 4xx naming the problem, never an exception).
/// </summary>
public sealed class OpsApiTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    private static readonly string Operator = ClientPrincipals.User(roles: ["Ops.Operate"]);
    private static readonly string Reader = ClientPrincipals.User(roles: ["Ops.Read"]);

    private OpsApi Api => App.Services.GetRequiredService<OpsApi>();

    [Fact]
    public void Every_route_needs_read_to_look_and_operate_to_change_and_is_a_function_in_Azure()
    {
        var routes = Api.Routes.Select(r => (Method: r.Method.ToUpperInvariant(), r.Template, r.Access)).ToList();
        var functions = OpsFunctionsIdentityTests.Functions().Select(f => (Method: f.Method.ToUpperInvariant(), Template: f.Route)).ToHashSet();

        Assert.True(routes.Count >= 10, $"{routes.Count} routes");
        Assert.All(routes, r => Assert.Equal(r.Method == "GET" ? OpsAccess.Read : OpsAccess.Operate, r.Access));
        Assert.Equal(functions.OrderBy(f => f.Template).ThenBy(f => f.Method), routes.Select(r => (r.Method, r.Template)).OrderBy(f => f.Template).ThenBy(f => f.Method));
    }

    [Theory]
    [InlineData("text/plain", null, null, 415)]
    [InlineData("application/x-www-form-urlencoded", null, null, 415)]
    [InlineData("application/json", "https://evil.example", null, 403)]
    [InlineData("application/json", null, "cross-site", 403)]
    [InlineData("application/json", null, "same-site", 403)]
    public async Task A_post_another_site_could_send_is_refused_and_moves_nothing(string contentType, string? origin, string? fetchSite, int status)
    {
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        var discard = """{"reasons":["Rejected422"],"note":"test"}""";

        var forged = await CallAsync("POST", "deadletters/discard", body: discard, principal: Operator, contentType: contentType, origin: origin, fetchSite: fetchSite);
        var countAfterForged = (await DeadLettersAsync()).Count;
        var genuine = await CallAsync("POST", "deadletters/discard", body: discard, principal: Operator, origin: "https://ops.example", fetchSite: "same-origin");

        Assert.Equal(status, forged.Status);
        Assert.Equal(2, countAfterForged);
        Assert.Equal(200, genuine.Status);
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task The_read_role_looks_the_operate_role_changes_and_the_audit_names_the_validated_principal()
    {
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));

        var look = await CallAsync("GET", "deadletters/groups", principal: Reader);
        var change = await CallAsync("POST", "deadletters/discard", body: """{"reasons":["Rejected422"]}""", principal: Reader);
        var nobody = await CallAsync("GET", "deadletters/groups", principal: null);
        var countAfterRefusals = (await DeadLettersAsync()).Count;
        var done = await CallAsync("POST", "deadletters/discard", body: """{"reasons":["Rejected422"]}""", principal: Operator);

        Assert.Equal((200, 403, 401), (look.Status, change.Status, nobody.Status));
        Assert.Contains("lacks app role Ops.Operate", change.Json, StringComparison.Ordinal);
        Assert.Equal(1, countAfterRefusals);
        Assert.Equal(200, done.Status);
        Assert.Empty(await DeadLettersAsync());
        var audit = await App.Services.GetRequiredService<Integration.Operations.OpsAudit>().SinceAsync(Start.AddHours(-1), CancellationToken.None).ToListAsync();
        Assert.Contains(audit, a => a.Actor == $"jane@contoso.com (oid {ClientPrincipals.UserObjectId})");
    }

    [Fact]
    public async Task Dead_letters_come_a_page_at_a_time_each_once_and_without_bodies_unless_asked()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)));
        }

        var seen = new List<string>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await CallAsync("GET", "deadletters", new() { ["max"] = "3", ["after"] = after }, principal: Reader);
            Assert.Equal(200, page.Status);
            var root = JsonDocument.Parse(page.Json).RootElement;
            var items = root.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 3);
            Assert.All(items, item => Assert.Equal(JsonValueKind.Null, item.GetProperty("body").ValueKind));
            seen.AddRange(items.Select(item => item.GetProperty("messageId").GetString()!));
            after = root.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);
        var withBodies = JsonDocument.Parse((await CallAsync("GET", "deadletters", new() { ["max"] = "1", ["bodies"] = "true" }, principal: Reader)).Json).RootElement;
        var badCursor = await CallAsync("GET", "deadletters", new() { ["after"] = "not a cursor!" }, principal: Reader);
        var badSize = await CallAsync("GET", "deadletters", new() { ["max"] = "100000" }, principal: Reader);

        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        Assert.Contains("Fix the pump", withBodies.GetProperty("items")[0].GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.NotNull(withBodies.GetProperty("next").GetString());
        Assert.Equal(400, badCursor.Status);
        Assert.StartsWith("after: ", JsonDocument.Parse(badCursor.Json).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, badSize.Status);
        Assert.StartsWith("max: ", JsonDocument.Parse(badSize.Json).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_answer_404_and_other_methods_405()
    {
        var unknown = await CallAsync("GET", "deadletters/everything", principal: Reader);
        var method = await CallAsync("GET", "deadletters/discard", principal: Reader);
        var reset = await CallAsync("POST", "tasks/not-a-uid/reset", body: "{}", principal: Operator);

        Assert.Equal((404, 405, 400), (unknown.Status, method.Status, reset.Status));
        Assert.Contains("POST", JsonDocument.Parse(method.Json).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("uid: ", JsonDocument.Parse(reset.Json).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hundreds_of_hostile_inputs_to_every_route_get_an_answer_never_an_exception_or_a_5xx()
    {
        var random = new Random(20261205);
        string[] hostile =
        [
            "", " ", "Infinityh", "NaNs", "1e308d", "-1", "0", "1001", "2147483648", "99999999999999999999", "true", "yes", "null", "\u0000",
            "9999-12-31T23:59:59Z", "2h", "${jndi:ldap://x}", "'; DROP TABLE x; --", "../../etc/passwd", "42/sites/../x.csv", "%00", "a,b,,c",
            new string('x', 5000), "{", "[]", "\"", "\uFEFF", "Zm9v", "AAAA", "42/sites/missing.csv",
        ];
        string Random() => new([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => (char)random.Next(0, 0x300))]);
        string[] names = ["since", "until", "max", "after", "bodies", "status", "task", "fingerprint", "reason", "id"];
        var (calls, failures) = (0, new List<string>());
        foreach (var route in Api.Routes)
        {
            var path = route.Template.Replace("{uid}", Guid.NewGuid().ToString("D"), StringComparison.Ordinal);
            foreach (var value in hostile.Concat(Enumerable.Range(0, 40).Select(_ => Random())))
            {
                var body = route.Method == "get" ? null : random.Next(4) switch
                {
                    0 => value,
                    3 => $$"""{"resume":{{JsonSerializer.Serialize(value)}},"dryRun":true}""",
                    1 => $$"""{"since":{{JsonSerializer.Serialize(value)}},"blob":{{JsonSerializer.Serialize(value)}},"fingerprints":[{{JsonSerializer.Serialize(value)}}],"dryRun":true,"maxMessages":{{(value.Length % 2 == 0 ? "0" : "5")}},"messagesPerSecond":{{(value.Length % 3 == 0 ? "-1" : "1e400")}}}""",
                    _ => $$"""{"since":"2h","dryRun":true,"arrived":{{(value.Length % 2 == 0 ? "true" : "\"x\"")}},"blob":{{JsonSerializer.Serialize(value)}},"note":{{JsonSerializer.Serialize(value)}}}""",
                };
                var query = names.ToDictionary(n => n, n => (string?)(random.Next(2) == 0 ? value : null));
                calls++;
                try
                {
                    var answer = await CallAsync(route.Method.ToUpperInvariant(), path, query, body, Operator);
                    if (answer.Status >= 500 || (answer.Status >= 400 && !JsonDocument.Parse(answer.Json).RootElement.TryGetProperty("error", out _)))
                    {
                        failures.Add($"{route.Method} {path} ({value.Length} chars): {answer.Status} {answer.Json}");
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"{route.Method} {path} ({value.Length} chars): {e.GetType().Name} {e.Message}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.True(calls >= 700, $"{calls} calls");
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings[AppServiceAuthentication.EnabledSetting] = "True";
        settings["Operations:Identity:TenantId"] = ClientPrincipals.Tenant;
    }

    private Task<OpsApiAnswer> CallAsync(
        string method, string path, Dictionary<string, string?>? query = null, string? body = null, string? principal = null,
        string contentType = "application/json", string? origin = null, string? fetchSite = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = "ops.example", ["Content-Type"] = contentType };
        if (principal is not null)
        {
            headers[ClientPrincipalHeader.Name] = principal;
        }

        if (origin is not null)
        {
            headers["Origin"] = origin;
        }

        if (fetchSite is not null)
        {
            headers["Sec-Fetch-Site"] = fetchSite;
        }

        var values = (query ?? []).Where(q => q.Value is not null).ToDictionary(q => q.Key, q => q.Value!);
        return Api.HandleAsync(new OpsApiRequest(method, path, values, body, name => headers.GetValueOrDefault(name)), CancellationToken.None);
    }
}
