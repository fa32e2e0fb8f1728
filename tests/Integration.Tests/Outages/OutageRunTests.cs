using Integration.Benchmark.Tasks;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Integration.Tests.Outages;

/// <summary>
/// The outage harness (bench/run-outage.sh), short: task messages and CSV drops keep coming while storage, or Key Vault,
/// is down for 20 s in the middle. Real time: the outage's span is the scenario. Each run has its own Azurite.
/// </summary>
public sealed class OutageRunTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Outage.Storage)]
    [InlineData(Outage.KeyVault)]
    public async Task Nothing_is_lost_uploaded_twice_or_applied_out_of_order_and_every_message_settles_across_a_20_s_outage(Outage outage)
    {
        var report = await OutageRun.RunAsync(
            RepositoryRoot.Path,
            outage,
            span: TimeSpan.FromSeconds(20),
            messages: 150,
            files: 6,
            instances: 2,
            produceOver: TimeSpan.FromSeconds(25),
            limit: TimeSpan.FromSeconds(60), // to settle, from the producer's last send (a busy machine produces slower)
            logging => logging.ClearProviders());
        output.WriteLine(report.Markdown());

        Assert.True(report.Ok, $"{string.Join("; ", report.Failures)}\n{report.Markdown()}");
        if (outage == Outage.KeyVault)
        {
            // Tokens came from the caches while the vault was down: the partners kept accepting work.
            Assert.True(report.PutsDuringOutage > 0, report.Markdown());
        }
    }
}
