using System.ComponentModel.DataAnnotations;

namespace Integration.Tasks;

/// <summary>Task upserts into Fragment (section <c>Tasks</c>).</summary>
public sealed class TasksOptions
{
    public const string SectionName = "Tasks";

    /// <summary>Azure Table of the last applied source version per task (the stale guard) and per-task claims.</summary>
    [Required, RegularExpression(TablePattern)]
    public string VersionTable { get; set; } = "TaskVersions";

    /// <summary>Azure Table with one row per Fragment attempt (the durable request log).</summary>
    [Required, RegularExpression(TablePattern)]
    public string RequestLogTable { get; set; } = "FragmentRequests";

    /// <summary>Delayed retries of transient failures before the message is dead-lettered <c>RetriesExhausted</c>.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>404/409/other 4xx answers tolerated (delayed retries) before the message is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxClientErrorAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>After Fragment refuses the token (401/403): how long all sending pauses and the message waits.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthFailureDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one handler may hold a task while its PUT is in flight (other versions of the task wait).</summary>
    /// <summary>
    /// Most tasks in one <c>PUT /tasks/batch</c> when messages come in batches (the batched trigger, or the local run's
    /// batch mode). Fragment's own limit is unknown: keep it a setting.
    /// </summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>An <c>updated_at</c> further ahead of now than this is invalid: it would block every later version of the task.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(1);

    private const string TablePattern = "^[A-Za-z][A-Za-z0-9]{2,62}$";
}
