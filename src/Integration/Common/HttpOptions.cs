using System.ComponentModel.DataAnnotations;

namespace Integration.Common;

/// <summary>Settings every outgoing partner call shares (section <c>Http</c>).</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Sent on every partner request; Fragment may block requests without one.</summary>
    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = "Integration/1.0";
}
