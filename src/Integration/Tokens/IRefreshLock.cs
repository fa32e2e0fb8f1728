namespace Integration.Tokens;

/// <summary>A lock shared by every instance of the app, so only one of them calls the token endpoint at a time.</summary>
public interface IRefreshLock
{
    /// <summary>The held lock (dispose to release), or null when another holder has it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken);
}
