using System.Text;
using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

public sealed class FailedRowsCsvTests
{
    [Fact]
    public async Task Failing_rows_are_copied_whole_with_their_message_skipping_blank_lines_and_the_header()
    {
        const string csv = "\uFEFFid,name\r\n1,a\r\n\r\n2,\"multi\r\nline\"\r\n3,c\n4,\"say \"\"hi\"\"\"";
        var messages = new Dictionary<long, string> { [2] = "bad name", [4] = "has \"quotes\"" };

        var written = await WriteAsync(Encoding.UTF8.GetBytes(csv), messages);

        Assert.Equal("2,\"multi\r\nline\",\"bad name\"\n4,\"say \"\"hi\"\"\",\"has \"\"quotes\"\"\"\n", written);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65_536)]
    public async Task A_record_larger_than_any_buffer_streams_through_in_any_chunking(int chunk)
    {
        var huge = new string('x', 3 * 1024 * 1024); // bigger than the copy buffer: never held whole
        var csv = $"id,text\n1,ok\n2,\"{huge}\"\n3,ok\n";

        var written = await WriteAsync(Encoding.UTF8.GetBytes(csv), new Dictionary<long, string> { [2] = "too long" }, chunk);

        Assert.Equal($"2,\"{huge}\",\"too long\"\n", written);
    }

    private static async Task<string> WriteAsync(byte[] source, IReadOnlyDictionary<long, string> messages, int? chunk = null)
    {
        using var output = new MemoryStream();
        Stream input = chunk is { } size ? new ChunkedReadStream(source, size) : new MemoryStream(source);
        await FailedRowsCsv.WriteAsync(input, messages, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, so records and terminators straddle reads.</summary>
    private sealed class ChunkedReadStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
