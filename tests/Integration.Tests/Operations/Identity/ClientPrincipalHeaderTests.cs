using System.Text;
using Integration.Operations.Identity;

namespace Integration.Tests.Operations.Identity;

public sealed class ClientPrincipalHeaderTests
{
    [Fact]
    public void A_signed_in_user_is_read_with_name_object_id_tenant_client_and_roles()
    {
        Assert.True(ClientPrincipalHeader.TryParse(ClientPrincipals.User(roles: ["Ops.Read", "Ops.Operate"]), out var principal, out _, out var problem), problem);

        Assert.Equal("aad", principal!.IdentityProvider);
        Assert.Equal("jane@contoso.com", principal.Name);
        Assert.Equal(ClientPrincipals.UserObjectId, principal.ObjectId);
        Assert.Equal(ClientPrincipals.Tenant, principal.TenantId);
        Assert.Equal(ClientPrincipals.CliApplicationId, principal.ApplicationId);
        Assert.Equal(["Ops.Operate", "Ops.Read"], principal.Roles.Order(StringComparer.Ordinal));
        Assert.Equal($"jane@contoso.com (oid {ClientPrincipals.UserObjectId})", principal.Actor);
    }

    [Fact]
    public void An_application_token_has_short_claim_types_roles_and_no_name()
    {
        Assert.True(ClientPrincipalHeader.TryParse(ClientPrincipals.Application("Ops.Read"), out var principal, out _, out var problem), problem);

        Assert.Null(principal!.Name);
        Assert.Equal(ClientPrincipals.AppObjectId, principal.ObjectId);
        Assert.Equal(ClientPrincipals.Tenant, principal.TenantId);
        Assert.Equal(["Ops.Read"], principal.Roles);
        Assert.Equal($"app 6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f (oid {ClientPrincipals.AppObjectId})", principal.Actor);
    }

    [Fact]
    public void Roles_of_the_declared_role_type_count_and_other_claims_do_not()
    {
        var header = ClientPrincipals.Encode("aad", null, "custom-role-type",
        [
            ("oid", ClientPrincipals.UserObjectId),
            ("custom-role-type", "Ops.Operate"),
            ("groups", "Ops.Read"),
            ("scp", "Ops.Read"),
        ]);

        Assert.True(ClientPrincipalHeader.TryParse(header, out var principal, out _, out _));

        Assert.Equal(["Ops.Operate"], principal!.Roles);
    }

    [Theory]
    [InlineData(null, false, "no X-MS-CLIENT-PRINCIPAL header")]
    [InlineData("", false, "no X-MS-CLIENT-PRINCIPAL header")]
    [InlineData("not base64!", false, "not base64-encoded JSON")]
    [InlineData("not json", true, "not base64-encoded JSON")]
    [InlineData("""{"auth_typ":"aad"}""", true, "no auth_typ or no claims")]
    [InlineData("""{"claims":[{"typ":"oid","val":"x"}]}""", true, "no auth_typ or no claims")]
    [InlineData("""{"auth_typ":"aad","claims":[{"typ":"oid"}]}""", true, "a claim without typ or val")]
    [InlineData("""{"auth_typ":"aad","claims":[{"val":"Ops.Operate"}]}""", true, "a claim without typ or val")]
    public void A_malformed_header_is_not_a_principal_and_the_problem_does_not_echo_it(string? text, bool encode, string expected)
    {
        var value = encode ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text!)) : text;

        Assert.False(ClientPrincipalHeader.TryParse(value, out var principal, out _, out var problem));

        Assert.Null(principal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        if (value is { Length: > 0 })
        {
            Assert.DoesNotContain(value, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_oversized_header_is_refused_unread()
    {
        var huge = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', ClientPrincipalHeader.MaxLength)));

        Assert.False(ClientPrincipalHeader.TryParse(huge, out _, out _, out var problem));

        Assert.Contains($"longer than {ClientPrincipalHeader.MaxLength}", problem, StringComparison.Ordinal);
    }
}
