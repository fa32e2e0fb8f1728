using Integration.Operations;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations;

/// <summary>Request-log and audit rows older than <c>Operations:RetentionDays</c> are deleted; newer ones stay.</summary>
public sealed class OpsRetentionTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Operations:AuditTable"] = $"a{Guid.NewGuid():N}",
        ["Operations:RetentionDays"] = "30",
    };

    [Fact]
    public async Task Rows_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        var audit = App.Services.GetRequiredService<OpsAudit>();
        var log = App.Services.GetRequiredService<RequestLog>();
        var start = App.Clock.GetUtcNow();
        for (var i = 0; i < 120; i++) // more than one batch of 100 in a partition
        {
            await log.AddAsync(new RequestLogEntity { At = start.AddSeconds(i), Endpoint = "PUT /tasks/x", TaskUid = Guid.NewGuid().ToString("D") }, CancellationToken.None);
        }

        await audit.RecordAsync("ops-test", "deadletters.redrive", false, new { }, new { }, "completed", CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromDays(31));
        await log.AddAsync(new RequestLogEntity { At = App.Clock.GetUtcNow(), Endpoint = "PUT /tasks/y", TaskUid = Guid.NewGuid().ToString("D") }, CancellationToken.None);
        await audit.RecordAsync("ops-test", "resync", true, new { }, new { }, "completed", CancellationToken.None);

        var (requests, audits) = await App.Services.GetRequiredService<OpsRetention>().PruneAsync(CancellationToken.None);

        Assert.Equal((120, 1), (requests, audits));
        var kept = await log.SinceAsync(start.AddDays(-1), CancellationToken.None).ToListAsync();
        Assert.Equal("PUT /tasks/y", Assert.Single(kept).Endpoint);
        Assert.Equal("resync", Assert.Single(await audit.SinceAsync(start.AddDays(-1), CancellationToken.None).ToListAsync()).Operation);
        Assert.Equal((0, 0), await App.Services.GetRequiredService<OpsRetention>().PruneAsync(CancellationToken.None));
    }
}
