namespace Integration.Operations.Identity;

/// <summary>What an ops call does, and so which app role it needs.</summary>
public enum OpsAccess
{
    /// <summary>Lists something (dead-letters, groups, imports, requests): the read role or the operate role.</summary>
    Read,

    /// <summary>Changes something (redrive, re-sync, re-import, resolve): the operate role.</summary>
    Operate,
}
