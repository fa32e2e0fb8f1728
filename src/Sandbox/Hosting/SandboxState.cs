using Integration.Sandbox.Dragonfruit;
using Integration.Sandbox.Fragment;

namespace Integration.Sandbox.Hosting;

/// <summary>What both listeners share; <paramref name="Stopping"/> fires when the sandbox is disposed.</summary>
internal sealed record SandboxState(
    SandboxOptions Options,
    FaultInjector Faults,
    CallLog Calls,
    SandboxSecrets Secrets,
    RefreshTokenState RefreshTokens,
    IssuedTokens IssuedTokens,
    ImportLog Imports,
    SandboxTasks Tasks,
    FragmentToken FragmentToken,
    FragmentRateLimit FragmentRateLimit,
    CancellationToken Stopping);
