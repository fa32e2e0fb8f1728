using System.Threading.RateLimiting;
using Integration.Common;
using Integration.Partners;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tasks.RateLimiting;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Testing;
using Polly.Timeout;

namespace Integration.Tests.Tasks.RateLimiting;

/// <summary>The Fragment client's pipeline: its shape, and the budget strategy as the one owner of slots and pauses.</summary>
public sealed class FragmentPipelineTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["Fragment:RateLimit:MaxWait"] = "00:00:05",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    [Fact]
    public void The_pipeline_is_total_timeout_retry_budget_attempt_timeout_in_that_order()
    {
        var fragment = App.Services.GetRequiredService<IOptions<FragmentOptions>>().Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        PartnerHttpRegistration.ConfigurePipeline(builder, fragment, App.Services, "Fragment", TaskRegistration.FragmentBudget);

        var descriptor = builder.Build().GetPipelineDescriptor();

        Assert.Collection(
            descriptor.Strategies,
            total => Assert.Equal(fragment.TotalTimeout, Assert.IsType<TimeoutStrategyOptions>(total.Options).Timeout),
            retry => Assert.Equal(fragment.MaxRetryAttempts, Assert.IsType<HttpRetryStrategyOptions>(retry.Options).MaxRetryAttempts),
            budget => Assert.IsType<FragmentBudgetStrategy>(budget.StrategyInstance),
            attempt => Assert.Equal(fragment.AttemptTimeout, Assert.IsType<TimeoutStrategyOptions>(attempt.Options).Timeout));
        Assert.Single(descriptor.Strategies, s => s.StrategyInstance is FragmentBudgetStrategy);
    }

    [Fact]
    public async Task The_bucket_is_a_rate_limiter_whose_refusal_says_when_to_come_back()
    {
        var limiter = App.Services.GetRequiredService<DistributedRateLimiter>();
        await limiter.PauseUntilAsync(App.Clock.GetUtcNow() + TimeSpan.FromMinutes(1), CancellationToken.None);

        using var refused = await ((RateLimiter)limiter).AcquireAsync(1, CancellationToken.None);
        using var probe = limiter.AttemptAcquire(0);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.True(probe.IsAcquired);
    }

    [Fact]
    public async Task A_refused_API_token_pauses_every_instance_through_the_budget_strategy()
    {
        Sandbox.RotateFragmentToken("revoked-and-replaced");
        var client = App.Services.GetRequiredService<FragmentTaskClient>();
        var uid = Guid.NewGuid();

        var answer = await client.PutAsync(uid, """{"fields":{"title":"t"}}""", new FragmentRequestContext(uid.ToString("D"), "m1", 1, "normal"), CancellationToken.None);
        var next = await App.Services.GetRequiredService<DistributedRateLimiter>().NextAvailableAsync(CancellationToken.None);
        var later = await client.PutAsync(uid, """{"fields":{"title":"t"}}""", new FragmentRequestContext(uid.ToString("D"), "m2", 1, "normal"), CancellationToken.None);

        Assert.Equal(401, answer.Status);
        Assert.Equal(App.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), next);
        Assert.Equal(App.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), later.NoSlotBefore); // nothing sent: no slot within MaxWait
        Assert.Equal(1, Sandbox.Calls.Count("tasks"));
    }
}
