using System.Text;
using Integration.Imports;
using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

public sealed class CsvInspectorTests
{
    private static readonly CsvLimits Generous = new() { MaxBytes = 1024 * 1024 };

    private static Task<CsvInspection> InspectAsync(byte[] bytes, CsvLimits? limits = null, string stream = "memory") =>
        CsvInspector.InspectAsync(ChunkedStream.Create(stream, bytes), limits ?? Generous, CancellationToken.None);

    private static Task<CsvInspection> InspectAsync(string text, CsvLimits? limits = null, string stream = "memory") =>
        InspectAsync(Encoding.UTF8.GetBytes(text), limits, stream);

    private static CsvInspection.Valid AssertValid(CsvInspection inspection) =>
        Assert.IsType<CsvInspection.Valid>(inspection);

    private static string AssertInvalid(CsvProblem code, CsvInspection inspection)
    {
        var invalid = Assert.IsType<CsvInspection.Invalid>(inspection);
        Assert.Equal(code, invalid.Code);
        return invalid.Message;
    }

    [Fact]
    public async Task A_simple_file_is_valid_with_its_header_and_row_count()
    {
        var valid = AssertValid(await InspectAsync("id,name\n1,Ann\n2,Bob\n"));

        Assert.Equal(new CsvInspection.Valid("id,name", 2, 2, 20, false, 8), valid);
    }

    [Fact]
    public async Task A_file_without_final_newline_counts_its_last_row()
    {
        var valid = AssertValid(await InspectAsync("id,name\n1,Ann\n2,Bob"));

        Assert.Equal(2, valid.DataRows);
    }

    [Fact]
    public async Task A_utf8_bom_is_accepted_and_kept_out_of_the_header()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "id,name\n1,Ann\n"u8];

        var valid = AssertValid(await InspectAsync(bytes));

        Assert.True(valid.HasBom);
        Assert.Equal("id,name", valid.Header);
        Assert.Equal(11, valid.HeaderEndOffset);
        Assert.Equal(bytes.Length, valid.Bytes);
    }

    [Fact]
    public async Task Crlf_line_breaks_are_not_part_of_the_header_or_extra_rows()
    {
        var valid = AssertValid(await InspectAsync("id,name\r\n1,Ann\r\n2,Bob\r\n"));

        Assert.Equal("id,name", valid.Header);
        Assert.Equal(2, valid.DataRows);
        Assert.Equal(9, valid.HeaderEndOffset);
    }

    [Fact]
    public async Task A_quoted_comma_does_not_split_a_column()
    {
        var valid = AssertValid(await InspectAsync("id,\"name, full\"\n1,\"Ann, Smith\"\n"));

        Assert.Equal("id,\"name, full\"", valid.Header);
        Assert.Equal(2, valid.HeaderColumnCount);
        Assert.Equal(1, valid.DataRows);
    }

    [Fact]
    public async Task A_quoted_newline_stays_inside_one_row()
    {
        var valid = AssertValid(await InspectAsync("id,address\n1,\"1 Main St\nSpringfield\"\n2,\"a\r\nb\"\n"));

        Assert.Equal(2, valid.DataRows);
    }

    [Fact]
    public async Task Escaped_quotes_neither_close_the_field_nor_count_as_problems()
    {
        var valid = AssertValid(await InspectAsync("id,\"the \"\"name\"\"\"\n1,\"she said \"\"hi, there\"\"\"\n2,\"\"\"\"\n"));

        Assert.Equal(2, valid.HeaderColumnCount);
        Assert.Equal(2, valid.DataRows);
    }

    [Fact]
    public async Task Blank_lines_between_rows_are_not_counted()
    {
        var valid = AssertValid(await InspectAsync("id\n1\n\n2\r\n\r\n3\n\n"));

        Assert.Equal(3, valid.DataRows);
    }

    [Fact]
    public async Task An_empty_file_is_rejected()
    {
        Assert.Equal("The file is empty (0 bytes).", AssertInvalid(CsvProblem.Empty, await InspectAsync([])));
    }

    [Fact]
    public async Task A_file_holding_only_a_bom_is_empty()
    {
        var message = AssertInvalid(CsvProblem.Empty, await InspectAsync([0xEF, 0xBB, 0xBF]));

        Assert.Contains("byte order mark", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id,name\n")]
    [InlineData("id,name")]
    [InlineData("id,name\r\n")]
    public async Task A_header_without_rows_is_rejected(string text)
    {
        Assert.Equal("The file has a header row (2 columns) but no data rows.", AssertInvalid(CsvProblem.HeaderOnly, await InspectAsync(text)));
    }

    [Fact]
    public async Task A_header_followed_only_by_blank_lines_is_rejected_and_says_so()
    {
        var message = AssertInvalid(CsvProblem.HeaderOnly, await InspectAsync("id,name\n\n\r\n\n"));

        Assert.Equal("The file has a header row (2 columns) but no data rows: only blank lines follow it.", message);
    }

    [Theory]
    [InlineData("\nid,name\n1,Ann\n")]
    [InlineData("\r\nid,name\n1,Ann\n")]
    [InlineData("   \nid,name\n1,Ann\n")]
    public async Task A_blank_first_line_means_there_is_no_header(string text)
    {
        var message = AssertInvalid(CsvProblem.NoHeader, await InspectAsync(text));

        Assert.StartsWith("The first line of the file is blank.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Carriage_returns_alone_as_line_breaks_are_explained()
    {
        var message = AssertInvalid(CsvProblem.NoHeader, await InspectAsync("id,name\r1,Ann\r2,Bob\r"));

        Assert.Contains("CR alone as line breaks", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_line_longer_than_the_header_limit_is_rejected_without_reading_on()
    {
        var message = AssertInvalid(CsvProblem.NoHeader, await InspectAsync(new string('a', 5000) + "\n1\n", Generous with { MaxHeaderBytes = 4096 }));

        Assert.Contains("The first line is longer than 4 KiB (4,096 bytes), so it cannot be a header row.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_latin1_file_is_not_utf8_and_the_message_points_at_the_byte()
    {
        var bytes = Encoding.Latin1.GetBytes("id,name\n1,Café\n");

        var message = AssertInvalid(CsvProblem.NotUtf8, await InspectAsync(bytes));

        Assert.Equal("The file is not UTF-8: invalid byte 0xE9 at offset 13, in data row 1. Export the file as UTF-8 (Latin-1 / Windows-1252 exports are a common cause).", message);
    }

    [Fact]
    public async Task Invalid_utf8_in_the_header_names_the_header_row()
    {
        var message = AssertInvalid(CsvProblem.NotUtf8, await InspectAsync(Encoding.Latin1.GetBytes("id,pré\n1,x\n")));

        Assert.Contains("invalid byte 0xE9 at offset 5, in the header row", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf16_file_is_not_utf8()
    {
        var message = AssertInvalid(CsvProblem.NotUtf8, await InspectAsync(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id,name\n1,a\n")).ToArray()));

        Assert.Contains("UTF-16", message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Streams => new() { "memory", "one byte per read", "odd chunks" };

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Multi_byte_characters_split_across_reads_are_valid(string stream)
    {
        var text = "id,city,note\n" + string.Concat(Enumerable.Range(1, 2000).Select(i => $"{i},São Paulo 東京,\"😀 naïve\r\n€\"\n"));

        var valid = AssertValid(await InspectAsync(text, stream: stream));

        Assert.Equal(2000, valid.DataRows);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Invalid_utf8_split_across_reads_is_found_at_its_offset(string stream)
    {
        // A three-byte sequence (E2 82 AC is €) cut after two bytes, far enough in for reads of any size to cut it.
        var prefix = Encoding.UTF8.GetBytes("id,name\n" + string.Concat(Enumerable.Range(1, 3000).Select(i => $"{i},Zürich €\n")) + "3001,");
        byte[] bytes = [.. prefix, 0xE2, 0x82, (byte)',', .. "x\n"u8];

        var message = AssertInvalid(CsvProblem.NotUtf8, await InspectAsync(bytes, stream: stream));

        Assert.Equal($"The file is not UTF-8: invalid byte 0xE2 at offset {prefix.Length}, in data row 3001. Export the file as UTF-8 (Latin-1 / Windows-1252 exports are a common cause).", message);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task A_file_cut_inside_a_multi_byte_character_is_not_utf8(string stream)
    {
        var prefix = Encoding.UTF8.GetBytes("id,name\n1,ok\n2,");
        byte[] bytes = [.. prefix, 0xF0, 0x9F, 0x98];

        var message = AssertInvalid(CsvProblem.NotUtf8, await InspectAsync(bytes, stream: stream));

        Assert.Equal($"The file is not UTF-8: it ends in the middle of a multi-byte character (byte 0xF0 at offset {prefix.Length}, in data row 2). Export the file as UTF-8.", message);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task A_nul_byte_makes_the_file_binary(string stream)
    {
        var message = AssertInvalid(CsvProblem.Binary, await InspectAsync("id,name\n1,Ann\n2,B\0b\n", stream: stream));

        Assert.Equal("The file is not CSV text: it contains a NUL byte (0x00) at offset 17, in data row 2. Export the data as a UTF-8 CSV file.", message);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task A_png_image_is_recognised_as_binary(string stream)
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00];

        var message = AssertInvalid(CsvProblem.Binary, await InspectAsync(png, stream: stream));

        Assert.Equal("The file is not CSV text: it looks like a PNG image. Export the data as a UTF-8 CSV file.", message);
    }

    [Fact]
    public async Task An_xlsx_workbook_is_recognised_as_binary()
    {
        var message = AssertInvalid(CsvProblem.Binary, await InspectAsync([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));

        Assert.Contains("xlsx", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task A_file_over_the_size_limit_is_too_large(string stream)
    {
        var message = AssertInvalid(CsvProblem.TooLarge, await InspectAsync("id,name\n1,Ann\n", new CsvLimits { MaxBytes = 10 }, stream));

        Assert.Contains("the limit of 10 bytes", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seekable_file_over_the_limit_is_rejected_without_being_read()
    {
        var source = new MemoryStream(new byte[3 * 1024 * 1024]);

        var message = AssertInvalid(CsvProblem.TooLarge, await CsvInspector.InspectAsync(source, new CsvLimits { MaxBytes = 2 * 1024 * 1024 }, CancellationToken.None));

        Assert.Equal("The file is 3 MiB (3,145,728 bytes), more than the limit of 2 MiB (2,097,152 bytes). Split it into smaller files.", message);
        Assert.Equal(0, source.Position);
    }

    [Fact]
    public async Task A_non_seekable_file_stops_being_read_once_over_the_limit()
    {
        var bytes = Encoding.UTF8.GetBytes("id\n" + string.Concat(Enumerable.Repeat("1\n", 1_000_000)));
        var source = new CountingStream(bytes);

        AssertInvalid(CsvProblem.TooLarge, await CsvInspector.InspectAsync(source, new CsvLimits { MaxBytes = 100 }, CancellationToken.None));

        Assert.True(source.BytesRead < 300_000, $"read {source.BytesRead} bytes");
    }

    [Fact]
    public async Task A_file_exactly_at_the_limit_is_accepted()
    {
        AssertValid(await InspectAsync("id,name\n1,Ann\n", new CsvLimits { MaxBytes = 14 }, "odd chunks"));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task An_unclosed_quote_is_reported_where_it_opens(string stream)
    {
        var message = AssertInvalid(CsvProblem.UnterminatedQuote, await InspectAsync("id,name\n1,Ann\n2,\"never closed\n3,Bob\n", stream: stream));

        Assert.StartsWith("The file ends inside a quoted field: the double quote at offset 16, in data row 2, is never closed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unclosed_quote_in_the_header_is_reported()
    {
        var message = AssertInvalid(CsvProblem.UnterminatedQuote, await InspectAsync("id,\"name\n1,Ann\n"));

        Assert.Contains("the double quote at offset 3, in the header row, is never closed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_named_twice_is_rejected_ignoring_case_and_spaces()
    {
        var message = AssertInvalid(CsvProblem.DuplicateHeaderColumn, await InspectAsync("id,Name, name \n1,a,b\n"));

        Assert.Equal("The header names the column \"name\" twice: columns 2 and 3 (names are compared ignoring case and surrounding spaces). Column names must be unique.", message);
    }

    [Theory]
    [InlineData("id,,name\n1,a,b\n", 2, 3)]
    [InlineData("id,name,\n1,a,b\n", 3, 3)]
    [InlineData("id,\"  \",name\n1,a,b\n", 2, 3)]
    public async Task A_column_without_a_name_is_rejected(string text, int column, int columns)
    {
        var message = AssertInvalid(CsvProblem.EmptyHeaderColumn, await InspectAsync(text));

        Assert.StartsWith($"Column {column} of {columns} in the header has no name (header: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_problem_in_the_file_wins()
    {
        // The duplicate header comes before the NUL byte and the unclosed quote.
        var message = AssertInvalid(CsvProblem.DuplicateHeaderColumn, await InspectAsync("a,a\n1,\0\n\"x\n"));

        Assert.Contains("\"a\"", message, StringComparison.Ordinal);
    }

    private sealed class CountingStream(byte[] data) : ReadOnlyStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, data.Length - BytesRead);
            data.AsSpan((int)BytesRead, count).CopyTo(buffer);
            BytesRead += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
