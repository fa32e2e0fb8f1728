namespace Integration.Imports;

/// <summary>The two sheets Dragonfruit's bulk import takes, named as their multipart fields.</summary>
public static class ImportSheet
{
    public const string Sites = "sites";
    public const string SiteContacts = "site_contacts";

    public static IReadOnlyList<string> All { get; } = [Sites, SiteContacts];
}
