using System.Globalization;
using System.Text;

namespace CoverageCheck.Clients.X12;

/// <summary>How serious an <see cref="X12Issue"/> is.</summary>
public enum X12IssueSeverity
{
    /// <summary>The content was still read (for example an SE01 count or SE02 control number that does not match).</summary>
    Warning,

    /// <summary>Structure that cannot be read: what was read must not be trusted on its own.</summary>
    Error,
}

/// <summary>
/// A problem found while reading X12, located by segment and element so staff can find it in the file. Segment
/// positions count every segment of the input from 1 (the ISA is segment 1); element positions count from 1 as in
/// the implementation guide (EB03 is element 3).
/// </summary>
/// <param name="Severity">Warning (content still read) or error (unreadable structure).</param>
/// <param name="SegmentPosition">1-based position of the segment in the input, when the issue belongs to one.</param>
/// <param name="SegmentId">The segment's ID (e.g. <c>EB</c>), when known.</param>
/// <param name="ElementPosition">1-based element position within the segment, when the issue belongs to one element.</param>
/// <param name="Message">What is wrong, in one sentence. Never contains member data.</param>
public sealed record X12Issue(X12IssueSeverity Severity, int? SegmentPosition, string? SegmentId, int? ElementPosition, string Message)
{
    /// <summary>"segment 14 (EB), element 3: message".</summary>
    public override string ToString()
    {
        if (SegmentPosition is null)
        {
            return Message;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"segment {SegmentPosition}");
        if (!string.IsNullOrEmpty(SegmentId))
        {
            text.Append(CultureInfo.InvariantCulture, $" ({SegmentId})");
        }

        if (ElementPosition is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", element {ElementPosition}");
        }

        return text.Append(": ").Append(Message).ToString();
    }
}
