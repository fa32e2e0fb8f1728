namespace Integration.Imports;

/// <summary>Bytes <c>[Start, Start + Length)</c> of a source file.</summary>
public readonly record struct ByteRange(long Start, long Length);
