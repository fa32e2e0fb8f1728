using System.Text.RegularExpressions;
using Integration.Imports;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tokens;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// The alerts of infra/bicep/modules/alerts.bicep match what the code logs and the queue the template creates: each
/// specific log alert's category is the logger category (<c>ILogger&lt;T&gt;</c>: the type's full name) of the code
/// that logs it, and its message fragment is literal text of that log line, at the level the alert expects. Rewording
/// a log line, moving its class or lowering its level fails here instead of silently muting the alert.
/// </summary>
public sealed partial class AlertsTemplateTests
{
    private static string AlertsFile { get; } = Path.Combine(BicepFolder, "modules", "alerts.bicep");

    private static string SourceFolder { get; } = Path.Combine(RepositoryRoot.Path, "src", "Integration");

    /// <summary>The error classes with their own alert, in case() order; everything else is "error".</summary>
    private static readonly string[] SpecificClasses = ["importHeld", "importPoisoned", "tokenRefresh", "fragmentToken"];

    [Theory]
    [InlineData("importHeld")]
    [InlineData("importPoisoned")]
    public void Import_alerts_match_the_errors_the_import_run_logs(string errorClass)
    {
        var rule = ErrorClass(errorClass);

        Assert.Equal(typeof(ImportRun).FullName, rule.Category);
        Assert.NotNull(rule.MessageContains);
        Assert.DoesNotContain("{", rule.MessageContains, StringComparison.Ordinal);
        var lines = LogCalls(SourceOf<ImportRun>()).Where(call => call.Template.Contains(rule.MessageContains, StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, $"No log line of {typeof(ImportRun).FullName} contains '{rule.MessageContains}' (the alert's message fragment): reworded?");
        Assert.All(lines, call => Assert.True(call.Level is "Error" or "Critical", $"'{call.Template}' is logged at {call.Level}; the alert takes severityLevel >= 3 (Error)."));
    }

    [Fact]
    public void Token_refresh_alert_takes_the_category_of_every_logger_in_Integration_Tokens()
    {
        var rule = ErrorClass("tokenRefresh");
        var tokensFolder = Path.Combine(SourceFolder, "Tokens");

        Assert.Equal($"{typeof(DragonfruitTokenRefresher).Namespace}.", rule.CategoryPrefix);
        var files = SourceFiles(tokensFolder).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var ns = NamespaceDeclaration().Match(File.ReadAllText(file));
            Assert.True(ns.Success, $"{file} declares no file-scoped namespace.");
            Assert.True($"{ns.Groups["name"].Value}.".StartsWith(rule.CategoryPrefix!, StringComparison.Ordinal),
                $"{file} is in namespace {ns.Groups["name"].Value}: its loggers are outside the token refresh alert's category prefix '{rule.CategoryPrefix}'.");
        }

        // The refresh failures themselves: the refresher logs every failed outcome, the client an unreachable endpoint.
        Assert.Contains(LogCalls(SourceOf<DragonfruitTokenRefresher>()), call => call.Level == "Error");
        Assert.Contains(LogCalls(SourceOf<DragonfruitTokenClient>()), call => call.Level == "Error");
    }

    [Fact]
    public void Fragment_token_alert_matches_the_critical_line_TaskHandler_logs_on_401_or_403()
    {
        var rule = ErrorClass("fragmentToken");

        Assert.Equal(typeof(TaskHandler).FullName, rule.Category);
        Assert.Equal(4, rule.SeverityLevel);
        Assert.NotNull(rule.MessageStartsWith);
        Assert.DoesNotContain("{", rule.MessageStartsWith, StringComparison.Ordinal);
        var lines = LogCalls(SourceOf<TaskHandler>()).Where(call => call.Template.StartsWith(rule.MessageStartsWith, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.True(line.Level == "Critical", $"'{line.Template}' is logged at {line.Level}; the alert takes severityLevel == 4 (Critical) only.");
    }

    [Fact]
    public void Every_error_class_has_exactly_one_log_alert_and_the_rest_goes_to_errors_logged()
    {
        var text = File.ReadAllText(AlertsFile);
        var classes = ErrorClassLines().Select(line => ClassLabel().Match(line).Groups["label"].Value).ToList();
        var alerted = AlertFilter().Matches(text).Select(m => m.Groups["label"].Value).ToList();

        Assert.Equal(SpecificClasses, classes);
        Assert.Contains("\n    \"error\")\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(classes.Append("error").Order(StringComparer.Ordinal), alerted.Order(StringComparer.Ordinal));
        Assert.Contains("| where severityLevel >= 3\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // The app's own loggers, and the host's for each function (an exception that escaped an invocation).
        Assert.Contains("| where category startswith \"Integration.\" or category startswith \"Function.\"\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_Bus_alerts_filter_on_the_task_queue_the_template_creates_and_the_app_reads()
    {
        var alerts = File.ReadAllText(AlertsFile);
        var main = File.ReadAllText(Path.Combine(BicepFolder, "main.bicep"));
        var serviceBus = File.ReadAllText(Path.Combine(BicepFolder, "modules", "serviceBus.bicep"));

        var serviceBusAlerts = ServiceBusMetric().Count(alerts);
        var queueFilters = EntityNameFilter().Matches(alerts).Select(m => m.Groups["value"].Value).ToList();
        Assert.Equal(2, serviceBusAlerts);
        Assert.True(queueFilters.Count == serviceBusAlerts, $"{serviceBusAlerts} Service Bus metric alerts but {queueFilters.Count} EntityName filters in {AlertsFile}.");
        Assert.All(queueFilters, value => Assert.Equal("tasksQueueName", value));
        Assert.Contains("param tasksQueueName string", alerts, StringComparison.Ordinal);

        Assert.Contains("tasksQueueName: serviceBus.outputs.queueName", ModuleBlock(main, "alerts"), StringComparison.Ordinal);
        Assert.Contains("tasksQueueName: serviceBus.outputs.queueName", ModuleBlock(main, "appSettings"), StringComparison.Ordinal);
        Assert.Contains("output queueName string = queue.name", serviceBus, StringComparison.Ordinal);
    }

    [Fact]
    public void Dead_letter_alert_clears_once_the_dead_letters_are_redriven_discarded_or_restored()
    {
        // Discard (to the archive) and redrive both complete the dead-lettered messages: the subqueue's count drops to 0,
        // and an alert that fires on "more than 0" and resolves itself clears within its window with nothing to do.
        var alerts = File.ReadAllText(AlertsFile).ReplaceLineEndings("\n");
        var start = alerts.IndexOf("resource tasksDeadLettered ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No tasksDeadLettered alert in {AlertsFile}.");
        var end = alerts.IndexOf("\n}\n", start, StringComparison.Ordinal);
        var block = alerts[start..end];

        foreach (var expected in new[] { "autoMitigate: true", "metricName: 'DeadletteredMessages'", "operator: 'GreaterThan'", "threshold: 0", "timeAggregation: 'Maximum'", "windowSize: 'PT15M'" })
        {
            Assert.Contains(expected, block, StringComparison.Ordinal);
        }

        Assert.Contains("The alert resolves once the dead-letters are redriven or removed.", block, StringComparison.Ordinal);
    }

    /// <summary>What one branch of the <c>case()</c> in alerts.bicep matches on.</summary>
    private sealed record ErrorClassRule(string? Category, string? CategoryPrefix, string? MessageContains, string? MessageStartsWith, int? SeverityLevel);

    /// <summary>The <c>case()</c> branches of var classifiedErrors: one line each, ending with <c>"label",</c>.</summary>
    private static IEnumerable<string> ErrorClassLines() =>
        File.ReadLines(AlertsFile).Where(line => ClassLabel().IsMatch(line));

    /// <summary>
    /// Parses the branch labelled <paramref name="label"/>; fails on any predicate this test does not understand, so
    /// a condition cannot be added to the alert without being checked against the code.
    /// </summary>
    private static ErrorClassRule ErrorClass(string label)
    {
        var line = ErrorClassLines().SingleOrDefault(l => ClassLabel().Match(l).Groups["label"].Value == label);
        Assert.True(line is not null, $"No case() branch labelled \"{label}\" in {AlertsFile}.");

        var predicates = line[..ClassLabel().Match(line).Index];
        var rule = new ErrorClassRule(
            Value(Predicate("category ==").Match(predicates)),
            Value(Predicate("category startswith").Match(predicates)),
            Value(Predicate("message contains").Match(predicates)),
            Value(Predicate("message startswith").Match(predicates)),
            SeverityEquals().Match(predicates) is { Success: true } s ? int.Parse(s.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture) : null);
        var rest = SeverityEquals().Replace(AnyPredicate().Replace(predicates, ""), "");
        Assert.True(Regex.Replace(rest, @"\band\b", "").Trim().Length == 0, $"Predicates of \"{label}\" this test does not check: '{rest.Trim()}'");
        return rule;

        static string? Value(Match m) => m.Success ? m.Groups["value"].Value : null;
    }

    /// <summary>The source file of <typeparamref name="T"/> (src/Integration/&lt;namespace&gt;/&lt;T&gt;.cs), which must log with <c>ILogger&lt;T&gt;</c>.</summary>
    private static string SourceOf<T>()
    {
        // The type's file and its partial files (Name.*.cs), anywhere under its namespace's folder.
        var relative = typeof(T).Namespace!["Integration.".Length..].Replace('.', Path.DirectorySeparatorChar);
        var files = Directory.EnumerateFiles(Path.Combine(SourceFolder, relative), $"{typeof(T).Name}*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) == $"{typeof(T).Name}.cs" || Path.GetFileName(f).StartsWith($"{typeof(T).Name}.", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 0, $"{typeof(T).FullName} is expected in {relative}/{typeof(T).Name}.cs.");
        var source = string.Join("\n", files.Select(File.ReadAllText));
        Assert.Contains($"ILogger<{typeof(T).Name}>", source, StringComparison.Ordinal);
        return source;
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary><c>logger.LogX([exception, ]"template", …)</c> calls with a literal template: level and template.</summary>
    private static IEnumerable<(string Level, string Template)> LogCalls(string source) =>
        LogCall().Matches(source).Select(m => (m.Groups["level"].Value, m.Groups["template"].Value));

    /// <summary>The body of <c>module NAME '…' = { … }</c> in main.bicep.</summary>
    private static string ModuleBlock(string main, string name)
    {
        var match = Regex.Match(main, $@"^module {name} '[^']+' = \{{\n(?<body>.*?)^\}}", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"No module {name} in main.bicep.");
        return match.Groups["body"].Value;
    }

    private static Regex Predicate(string subject) => new($@"{Regex.Escape(subject)} ""(?<value>[^""]*)""", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"(?:category|message) (?:==|startswith|contains) ""[^""]*""", RegexOptions.CultureInvariant)]
    private static partial Regex AnyPredicate();

    [GeneratedRegex(@"severityLevel == (?<value>\d)", RegexOptions.CultureInvariant)]
    private static partial Regex SeverityEquals();

    [GeneratedRegex(@",\s*""(?<label>\w+)"",\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ClassLabel();

    [GeneratedRegex(@"\| where alert == ""(?<label>\w+)""", RegexOptions.CultureInvariant)]
    private static partial Regex AlertFilter();

    [GeneratedRegex(@"metricNamespace: 'Microsoft\.ServiceBus/namespaces'", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceBusMetric();

    [GeneratedRegex(@"name: 'EntityName'\s+operator: 'Include'\s+values: \[\s*(?<value>\w+)\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex EntityNameFilter();

    [GeneratedRegex(@"^namespace (?<name>[\w.]+);", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b_?logger\.Log(?<level>Trace|Debug|Information|Warning|Error|Critical)\(\s*(?:[A-Za-z_][\w.]*\s*,\s*)?""(?<template>(?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant)]
    private static partial Regex LogCall();
}
