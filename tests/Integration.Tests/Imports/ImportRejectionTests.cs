using System.Text;
using Integration.Imports;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Imports;

/// <summary>Bad drops are rejected before any partner call, each with a report that says what is wrong.</summary>
public sealed class ImportRejectionTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    public static TheoryData<string, string, string> BadDrops => new()
    {
        { "empty", "42/sites/empty.csv", "Empty" },
        { "header only", "42/sites/header.csv", "HeaderOnly" },
        { "header and blank lines", "42/sites/blank.csv", "HeaderOnly" },
        { "blank first line", "42/sites/noheader.csv", "NoHeader" },
        { "latin-1", "42/sites/latin1.csv", "NotUtf8" },
        { "invalid utf-8 late in the file", "42/sites/late.csv", "NotUtf8" },
        { "binary", "42/sites/binary.csv", "Binary" },
        { "over the size cap", "42/sites/huge.csv", "TooLarge" },
        { "unterminated quote", "42/sites/quote.csv", "UnterminatedQuote" },
        { "duplicate header", "42/sites/dup.csv", "DuplicateHeaderColumn" },
        { "empty header column", "42/sites/emptycol.csv", "EmptyHeaderColumn" },
        { "wrong path: two segments", "sites/file.csv", "BadBlobName" },
        { "wrong path: four segments", "42/sites/sub/file.csv", "BadBlobName" },
        { "customer id not a number", "acme/sites/file.csv", "BadBlobName" },
        { "customer id zero", "0/sites/file.csv", "BadBlobName" },
        { "unknown sheet", "42/contacts/file.csv", "BadBlobName" },
        { "not a .csv", "42/sites/file.xlsx", "BadBlobName" },
    };

    [Theory]
    [MemberData(nameof(BadDrops))]
    public async Task Bad_drop_is_rejected_with_a_specific_report_and_no_partner_call(string what, string name, string code)
    {
        var blob = await DropAsync(name, Content(what));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.Equal(0, Sandbox.Calls.Count(Import));
        var rejection = (await ReportAsync(name)).GetProperty("rejection");
        Assert.Equal(code, rejection.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(rejection.GetProperty("message").GetString()));
        Assert.Contains("{customer_id}/{sheet}/{file}.csv", rejection.GetProperty("expectedShape").GetString(), StringComparison.Ordinal);
        Assert.True(await blob.ExistsAsync(), "the dropped file is kept");
    }

    private static byte[] Content(string what) => what switch
    {
        "empty" => [],
        "header only" => Encoding.UTF8.GetBytes("site_id,name\n"),
        "header and blank lines" => Encoding.UTF8.GetBytes("site_id,name\n\n\r\n"),
        "blank first line" => Encoding.UTF8.GetBytes("\nsite_id,name\nS1,x\n"),
        "latin-1" => Encoding.Latin1.GetBytes("site_id,name\nS1,Café\n"),
        "invalid utf-8 late in the file" => [.. Encoding.UTF8.GetBytes(Csv(500)), 0xC3, 0x28, (byte)'\n'],
        "binary" => [0x00, 0x01, 0x02, 0x00, 0x10, 0x00, 0x00, 0x7F],
        "over the size cap" => Encoding.UTF8.GetBytes(Csv(4000)),
        "unterminated quote" => Encoding.UTF8.GetBytes("site_id,name\nS1,\"never closed\n"),
        "duplicate header" => Encoding.UTF8.GetBytes("site_id,name,Name\nS1,a,b\n"),
        "empty header column" => Encoding.UTF8.GetBytes("site_id,,name\nS1,a,b\n"),
        _ => Encoding.UTF8.GetBytes(Csv(3)),
    };
}
