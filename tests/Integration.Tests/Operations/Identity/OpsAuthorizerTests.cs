using Integration.Operations;
using Integration.Operations.Identity;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Operations.Identity;

/// <summary>
/// Each ops call's role check and actor, through the authorizer the ops functions use (registered by AddOperations,
/// options bound from configuration as in Azure): the read role lists, the operate role changes things, the actor is
/// the validated principal, and a principal a caller made up is refused.
/// </summary>
public sealed class OpsAuthorizerTests
{
    private static readonly Dictionary<string, string?> Azure = new()
    {
        ["WEBSITE_AUTH_ENABLED"] = "True",
        ["Operations:Identity:Required"] = "true",
        ["Operations:Identity:TenantId"] = ClientPrincipals.Tenant,
    };

    [Theory]
    [InlineData(OpsAccess.Read, new[] { "Ops.Read" }, true)]
    [InlineData(OpsAccess.Read, new[] { "Ops.Operate" }, true)]
    [InlineData(OpsAccess.Read, new string[0], false)]
    [InlineData(OpsAccess.Operate, new[] { "Ops.Operate" }, true)]
    [InlineData(OpsAccess.Operate, new[] { "Ops.Read" }, false)]
    [InlineData(OpsAccess.Operate, new string[0], false)]
    [InlineData(OpsAccess.Operate, new[] { "ops.operate", "Ops.Operate.All" }, false)]
    public void Each_access_needs_its_role(OpsAccess access, string[] roles, bool allowed)
    {
        var (authorizer, _) = Authorizer(Azure);

        var decision = authorizer.Authorize(Headers(ClientPrincipals.User(roles: roles)), access, "Test");

        if (allowed)
        {
            var ok = Assert.IsType<OpsAuthorization.Allowed>(decision);
            Assert.Equal($"jane@contoso.com (oid {ClientPrincipals.UserObjectId})", ok.Actor);
        }
        else
        {
            var refused = Assert.IsType<OpsAuthorization.Refused>(decision);
            Assert.Equal(403, refused.Status);
            Assert.Contains(access == OpsAccess.Operate ? "lacks app role Ops.Operate" : "has neither app role Ops.Read nor Ops.Operate", refused.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_application_with_the_operate_role_is_audited_by_its_app_and_object_id()
    {
        var (authorizer, _) = Authorizer(Azure);

        var decision = Assert.IsType<OpsAuthorization.Allowed>(authorizer.Authorize(Headers(ClientPrincipals.Application("Ops.Operate")), OpsAccess.Operate, "Test"));

        Assert.Equal($"app 6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f (oid {ClientPrincipals.AppObjectId})", decision.Actor);
    }

    [Fact]
    public void The_role_names_come_from_configuration()
    {
        var (authorizer, _) = Authorizer(new(Azure) { ["Operations:Identity:OperateRole"] = "Integration.Admin" });

        Assert.IsType<OpsAuthorization.Refused>(authorizer.Authorize(Headers(ClientPrincipals.User(roles: ["Ops.Operate"])), OpsAccess.Operate, "Test"));
        Assert.IsType<OpsAuthorization.Allowed>(authorizer.Authorize(Headers(ClientPrincipals.User(roles: ["Integration.Admin"])), OpsAccess.Operate, "Test"));
    }

    [Fact]
    public void A_forged_name_header_alone_is_refused_and_never_becomes_the_actor()
    {
        var (authorizer, logs) = Authorizer(Azure);

        var decision = authorizer.Authorize(Headers(principal: null, name: "ceo@contoso.com"), OpsAccess.Operate, "RedriveDeadLetters");

        var refused = Assert.IsType<OpsAuthorization.Refused>(decision);
        Assert.Equal(401, refused.Status);
        Assert.Contains("no validated principal", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("ceo@contoso.com", refused.Reason, StringComparison.Ordinal);
        var line = Assert.Single(logs.Lines, l => l.Category == typeof(OpsAuthorizer).FullName);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("RedriveDeadLetters", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_header_that_is_not_the_validated_principals_is_refused()
    {
        var (authorizer, _) = Authorizer(Azure);

        var decision = authorizer.Authorize(Headers(ClientPrincipals.User(roles: ["Ops.Operate"]), name: "ceo@contoso.com"), OpsAccess.Operate, "Test");

        Assert.Equal(401, Assert.IsType<OpsAuthorization.Refused>(decision).Status);
        Assert.IsType<OpsAuthorization.Allowed>(authorizer.Authorize(Headers(ClientPrincipals.User(roles: ["Ops.Operate"]), name: "jane@contoso.com"), OpsAccess.Operate, "Test"));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void A_principal_made_up_by_the_caller_is_refused_where_App_Service_Authentication_is_not_in_front(string required)
    {
        // Without App Service Authentication nobody strips or validates these headers: a perfect-looking principal
        // with the operate role is still the caller's own invention.
        var (authorizer, _) = Authorizer(new() { ["Operations:Identity:Required"] = required });

        var decision = authorizer.Authorize(Headers(ClientPrincipals.User(roles: ["Ops.Operate"]), name: "jane@contoso.com"), OpsAccess.Operate, "Test");

        var refused = Assert.IsType<OpsAuthorization.Refused>(decision);
        Assert.Equal(401, refused.Status);
        Assert.Contains("without App Service Authentication", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_identity_without_App_Service_Authentication_refuses_every_call()
    {
        var (authorizer, _) = Authorizer(new() { ["Operations:Identity:Required"] = "true" });

        var decision = authorizer.Authorize(Headers(principal: null), OpsAccess.Read, "Test");

        Assert.Contains("App Service Authentication is not enabled", Assert.IsType<OpsAuthorization.Refused>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_is_required_unless_configured_otherwise()
    {
        var (authorizer, _) = Authorizer(new());

        Assert.IsType<OpsAuthorization.Refused>(authorizer.Authorize(Headers(principal: null), OpsAccess.Read, "Test"));
    }

    [Fact]
    public void A_local_host_without_identity_audits_the_function_key_holder()
    {
        var (authorizer, _) = Authorizer(new() { ["Operations:Identity:Required"] = "false" });

        var decision = Assert.IsType<OpsAuthorization.Allowed>(authorizer.Authorize(Headers(principal: null), OpsAccess.Operate, "Test"));

        Assert.Equal(OpsAuthorizer.FunctionKeyActor, decision.Actor);
        Assert.Null(decision.Principal);
    }

    [Fact]
    public void A_principal_of_another_tenant_or_provider_is_refused()
    {
        var (authorizer, _) = Authorizer(Azure);

        var otherTenant = authorizer.Authorize(Headers(ClientPrincipals.User(tenant: "11111111-2222-3333-4444-555555555555", roles: ["Ops.Operate"])), OpsAccess.Read, "Test");
        var otherProvider = authorizer.Authorize(Headers(ClientPrincipals.Encode("github", null, null, [("roles", "Ops.Operate")])), OpsAccess.Read, "Test");

        Assert.Equal(403, Assert.IsType<OpsAuthorization.Refused>(otherTenant).Status);
        Assert.Contains("github", Assert.IsType<OpsAuthorization.Refused>(otherProvider).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_principal_is_refused_with_401()
    {
        var (authorizer, _) = Authorizer(Azure);

        var decision = authorizer.Authorize(Headers("e30="), OpsAccess.Read, "Test"); // {}

        Assert.Equal(401, Assert.IsType<OpsAuthorization.Refused>(decision).Status);
    }

    private static (OpsAuthorizer Authorizer, CapturedLogs Logs) Authorizer(Dictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddOperations()
            .BuildServiceProvider();
        return (services.GetRequiredService<OpsAuthorizer>(), logs);
    }

    /// <summary>Request headers as the host passes them: looked up by name, case-insensitively.</summary>
    private static Func<string, string?> Headers(string? principal, string? name = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (principal is not null)
        {
            headers["x-ms-client-principal"] = principal;
        }

        if (name is not null)
        {
            headers["x-ms-client-principal-name"] = name;
        }

        return header => headers.GetValueOrDefault(header);
    }
}
