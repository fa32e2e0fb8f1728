using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Fixtures;

/// <summary>Every log record of a host, at every level, with its scopes and exception; awaitable.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private readonly List<(Func<LogLine, bool> Match, TaskCompletionSource<LogLine> Done)> _waiters = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<LogLine> Lines => _lines;

    /// <summary>Everything logged, as one searchable text: messages, properties, scopes and exceptions.</summary>
    public string AllText => string.Join('\n', _lines.Select(line => line.FullText));

    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match)
    {
        lock (_waiters)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            var done = new TaskCompletionSource<LogLine>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Waits for the <paramref name="count"/>-th line matching, counting lines already logged.</summary>
    public async Task<LogLine> WaitForNthAsync(int count, Func<LogLine, bool> match)
    {
        var seen = 0;
        return await WaitForAsync(line => match(line) && ++seen == count);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Add(LogLine line)
    {
        lock (_waiters)
        {
            _lines.Enqueue(line);
            foreach (var waiter in _waiters.ToList().Where(waiter => waiter.Match(line)))
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(line);
            }
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            var scopeTexts = new List<string>();
            owner._scopes.ForEachScope((scope, lists) => { lists.Pairs.Add(Flatten(scope)); lists.Texts.Add(scope?.ToString() ?? ""); }, (Pairs: scopes, Texts: scopeTexts));
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : [];
            owner.Add(new LogLine(category, logLevel, formatter(state, exception), properties, scopes, exception?.ToString()) { ScopeTexts = scopeTexts });
        }

        private static string Flatten(object? scope) => scope is IEnumerable<KeyValuePair<string, object>> pairs
            ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : scope?.ToString() ?? "";
    }
}

public sealed record LogLine(
    string Category,
    LogLevel Level,
    string Message,
    IReadOnlyDictionary<string, object?> Properties,
    IReadOnlyList<string> Scopes,
    string? Exception)
{
    public string FullText =>
        $"{Level} {Category}: {Message} | {string.Join(", ", Properties.Select(p => $"{p.Key}={p.Value}"))} | {string.Join(" / ", Scopes)} | {Exception}";

    /// <summary>Each scope as a text sink (a console with scopes, Application Insights) prints it: its <c>ToString()</c>.</summary>
    public IReadOnlyList<string> ScopeTexts { get; init; } = [];

    public T? Property<T>(string name) => Properties.TryGetValue(name, out var value) && value is T typed ? typed : default;
}
