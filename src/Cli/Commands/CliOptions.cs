using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.CommandLine.Parsing;
using Integration.Operations;

namespace Integration.Cli.Commands;

/// <summary>The options several commands share, each with its description and the check of its value at parse time.</summary>
internal static class CliOptions
{
    /// <summary>Global: a JSON settings file (e.g. the <c>.local/run-settings.json</c> that <c>run --local</c> writes).</summary>
    public static readonly Option<FileInfo?> Settings = new("--settings")
    {
        Description = "A JSON settings file (e.g. .local/run-settings.json written by `run --local`); --Section:Key=value arguments still win.",
        HelpName = "FILE",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON on stdout, and no progress." };

    public static Option<bool> Remote() => new("--remote")
    {
        Description = "Call a deployed app's ops endpoints (settings Ops:Url, Ops:Key, Ops:Scope) instead of the configured storage.",
    };

    public static Option<bool> DryRun() => new("--dry-run") { Description = "Count what would happen; change nothing." };

    public static Option<bool> Local(string what) => new("--local") { Description = what };

    public static Option<double?> Rate() => Positive(new Option<double?>("--rate")
    {
        Description = "Messages per second (a positive number; default Operations:MessagesPerSecond).",
        HelpName = "PER-SECOND",
    });

    public static Option<int?> Max() => Positive(new Option<int?>("--max")
    {
        Description = "Stop after this many messages (a positive whole number).",
        HelpName = "N",
    });

    /// <summary>The page options of a listing: <c>--max</c> rows (checked by the ops API) and <c>--after</c> a cursor a page printed.</summary>
    public static (Option<string?> Max, Option<string?> After) Page() =>
    (
        new Option<string?>("--max") { Description = $"Most rows to show: one page, 1 to {OpsPaging.MaxSize} (default {OpsPaging.DefaultSize}).", HelpName = "N" },
        new Option<string?>("--after") { Description = "The next page: the cursor the previous page printed.", HelpName = "CURSOR" }
    );

    /// <summary>The query of a listing's page options, with the listing's own <paramref name="query"/>.</summary>
    public static Dictionary<string, string> PageQuery(ParseResult parse, (Option<string?> Max, Option<string?> After) page, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var values = query.Where(q => q.Value is not null).ToDictionary(q => q.Key, q => q.Value!, StringComparer.Ordinal);
        if (parse.GetValue(page.Max) is { } max)
        {
            values["max"] = max;
        }

        if (parse.GetValue(page.After) is { } after)
        {
            values["after"] = after;
        }

        return values;
    }

    /// <summary>An ISO 8601 time or a duration back from now (<c>90m</c>, <c>2h</c>, <c>3d</c>), checked when parsed.</summary>
    public static Option<string?> Time(string name, string description, bool required = false)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "2h|ISO-TIME", Required = required };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !OpsJson.TryParseTime(text, DateTimeOffset.UtcNow, out _))
            {
                result.AddError($"{name}: '{text}' is neither an ISO 8601 time nor a duration such as 2h");
            }
        });
        return option;
    }

    /// <summary>A repeatable option whose values may also be comma-separated lists (<c>--id a,b --id c</c>).</summary>
    public static Option<string[]> List(string name, string helpName, string description) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = result => [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    /// <summary>A positive, finite number of type <typeparamref name="T"/>; anything else is a parse error naming the option.</summary>
    private static Option<T?> Positive<T>(Option<T?> option)
        where T : struct, INumber<T>
    {
        var kind = T.IsInteger(T.One / (T.One + T.One)) ? "a positive whole number" : "a positive number";
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > T.Zero && T.IsFinite(value))
            {
                return value;
            }

            result.AddError($"{option.Name} takes {kind}, not '{text}'");
            return null;
        };
        return option;
    }
}
