namespace Integration.Tasks;

/// <summary>Application properties the handler reads from and writes onto (delayed copies and dead-letters of) task messages.</summary>
public static class TaskMessageProperties
{
    public const string Attempt = "Attempt";
    public const string ClientErrorCount = "ClientErrorCount";
    public const string FirstFailureAt = "FirstFailureAt";
    public const string LastFailureAt = "LastFailureAt";
    public const string HttpStatus = "HttpStatus";
    public const string PartnerErrorBody = "PartnerErrorBody";
    public const string PartnerRequestId = "PartnerRequestId";
    public const string TaskUid = "TaskUid";
    public const string Trigger = "Trigger";

    /// <summary><see cref="Trigger"/> values set by the operator tools.</summary>
    public const string RedriveTrigger = "redrive";

    public const string ResyncTrigger = "resync";

    public static int Count(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value) && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var n) ? n : 0;

    public static DateTimeOffset? When(IReadOnlyDictionary<string, object> properties, string name) => properties.TryGetValue(name, out var value)
        ? value switch
        {
            DateTimeOffset t => t,
            DateTime d => new DateTimeOffset(d),
            string s when DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var t) => t,
            _ => null,
        }
        : null;
}
