namespace Integration.Cli.Commands;

internal static class Usage
{
    public static int Print()
    {
        Console.Error.WriteLine("""
            integration run [--local]            host the pipelines (token refresh on Tokens:RefreshSchedule).
                                                 --local starts Azurite and the partner sandbox and points every setting at them.
            integration secrets set NAME [--value VALUE]
                                                 write a Key Vault secret (value from stdin when --value is absent),
                                                 e.g. the Dragonfruit refresh token or the Fragment API token.
            integration import FILE --customer ID --sheet sites|site_contacts [--local]
                                                 forward a local CSV through the import pipeline and print its report.
            integration tasks push FILE.jsonl [--local]  send each non-empty line as one message to the local task queue (Azurite).
            integration sandbox                  run the partner sandbox alone and print the settings that point at it.

            Operators (local: --settings .local/run-settings.json from `run --local`; deployed app: --remote with Ops__Url, Ops__Key, Ops__Scope):
            integration deadletters list|groups [--fingerprint F] [--reason R] [--id ID] [--since T] [--until T] [--json]
            integration deadletters redrive FILTERS [--dry-run] [--rate PER-SECOND] [--max N] [--json]
            integration resync --since T [--dry-run] [--rate PER-SECOND] [--max N] [--json]
            integration imports list [--status S,...|all] [--since T] [--json]
            integration imports reimport BLOB-NAME [--json]
            integration imports resolve BLOB-NAME --arrived|--lost [--json]
            integration tasks reset TASK-UID [--json]  clear a task's version row (audited): its next message is sent whatever its version
            integration requests list --since T [--until T] [--task UID] [--status 2xx|4xx|5xx|none|CODE] [--json]

            Settings come from environment variables (Section__Key, e.g. KeyVault__VaultUri) and --Section:Key=value arguments;
            see local.settings.sample.json and README.md.
            """);
        return 2;
    }
}
