using System.Globalization;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// The operator commands' arguments: flags (<c>--json</c>, <c>--dry-run</c>, <c>--remote</c>), options with a value
/// (<c>--since 2h</c>, repeatable ones such as <c>--id</c>), positional words, and <c>--Section:Key=value</c> settings.
/// </summary>
internal sealed class OpsArguments
{
    private static readonly HashSet<string> Flags = ["--json", "--dry-run", "--remote", "--yes", "--arrived", "--lost"];

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    private OpsArguments()
    {
    }

    public List<string> Positional { get; } = [];

    public List<string> Settings { get; } = [];

    public HashSet<string> Present { get; } = new(StringComparer.Ordinal);

    public string? Problem { get; private set; }

    public bool Json => Present.Contains("--json");

    public bool DryRun => Present.Contains("--dry-run");

    public bool Remote => Present.Contains("--remote");

    public static OpsArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new OpsArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal))
            {
                parsed.Settings.Add(arg);
            }
            else if (Flags.Contains(arg))
            {
                parsed.Present.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count)
                {
                    parsed.Problem ??= $"{arg} needs a value";
                    break;
                }

                if (!parsed._options.TryGetValue(arg, out var values))
                {
                    parsed._options[arg] = values = [];
                }

                values.Add(args[++i]);
                parsed.Present.Add(arg);
            }
            else
            {
                parsed.Positional.Add(arg);
            }
        }

        return parsed;
    }

    public string? Value(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>Every value of a repeatable option, comma-separated lists split.</summary>
    public IReadOnlyList<string> Values(string name) => _options.TryGetValue(name, out var values)
        ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]
        : [];

    /// <summary>
    /// The first problem: a parse problem, an option the command does not know (a typo must not silently widen a
    /// redrive), or positional words when none are expected.
    /// </summary>
    public string? Check(int positional, params string[] known)
    {
        if (Problem is not null)
        {
            return Problem;
        }

        if (Present.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            return $"unknown option {unknown}";
        }

        return Positional.Count != positional ? $"expected {positional} argument(s), got {Positional.Count}: {string.Join(' ', Positional)}" : null;
    }

    public bool TryNumber(string name, out double? value)
    {
        value = null;
        if (Value(name) is not { } text)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
        {
            value = number;
            return true;
        }

        return false;
    }
}
