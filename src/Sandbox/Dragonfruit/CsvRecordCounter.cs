using System.Text;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>
/// Counts CSV records byte by byte: <c>"</c> toggles quoting (so <c>""</c> is an escaped quote), a <c>\n</c> outside quotes ends
/// a record (<c>\r\n</c> too), and a last record without a trailing newline still counts. The first record is the header;
/// data rows (numbered from 1) whose raw bytes contain the marker are collected as row errors. Blank lines (nothing but
/// <c>\r</c>) are not records, the way the integration numbers rows; the real partner's numbering is not documented.
/// </summary>
internal sealed class CsvRecordCounter
{
    private readonly byte[] marker;
    private readonly int[] fallback;
    private readonly List<int> errorRows = [];
    private bool quoted;
    private bool recordHasBytes;
    private int matched;
    private bool markerSeen;

    public CsvRecordCounter(string marker)
    {
        this.marker = Encoding.UTF8.GetBytes(marker);
        fallback = Fallback(this.marker);
    }

    /// <summary>All records, header included.</summary>
    public int Records { get; private set; }

    /// <summary>Data rows without the marker.</summary>
    public int ValidRows => Math.Max(0, Records - 1) - errorRows.Count;

    /// <summary>1-based data-row numbers that contained the marker, ascending.</summary>
    public IReadOnlyList<int> ErrorRows => errorRows;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            // Jump (vectorised) to the next byte that can change state: a quote, or a newline outside quotes.
            var stop = quoted ? chunk.IndexOf((byte)'"') : chunk.IndexOfAny((byte)'"', (byte)'\n');
            var plain = stop < 0 ? chunk : chunk[..stop];
            if (!plain.IsEmpty)
            {
                recordHasBytes |= plain.ContainsAnyExcept((byte)'\r');
                Match(plain);
            }

            if (stop < 0)
            {
                return;
            }

            if (chunk[stop] == (byte)'\n')
            {
                EndRecord();
            }
            else
            {
                quoted = !quoted;
                recordHasBytes = true;
                Match(chunk.Slice(stop, 1));
            }

            chunk = chunk[(stop + 1)..];
        }
    }

    /// <summary>Counts a final record that had no trailing newline.</summary>
    public void Finish()
    {
        if (recordHasBytes)
        {
            EndRecord();
        }
    }

    private void EndRecord()
    {
        if (!recordHasBytes)
        {
            matched = 0;
            return;
        }

        Records++;
        if (Records > 1 && markerSeen)
        {
            errorRows.Add(Records - 1);
        }

        recordHasBytes = false;
        markerSeen = false;
        matched = 0;
    }

    /// <summary>Knuth-Morris-Pratt over the record's bytes, so a marker split across reads is still found without buffering the record.</summary>
    private void Match(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && !markerSeen && marker.Length > 0)
        {
            if (matched == 0)
            {
                var next = bytes[i..].IndexOf(marker[0]);
                if (next < 0)
                {
                    return;
                }

                i += next;
            }

            var b = bytes[i++];
            while (matched > 0 && marker[matched] != b)
            {
                matched = fallback[matched - 1];
            }

            if (marker[matched] == b && ++matched == marker.Length)
            {
                markerSeen = true;
            }
        }
    }

    private static int[] Fallback(byte[] pattern)
    {
        var table = new int[pattern.Length];
        for (int i = 1, k = 0; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k])
            {
                k = table[k - 1];
            }

            if (pattern[i] == pattern[k])
            {
                k++;
            }

            table[i] = k;
        }

        return table;
    }
}
