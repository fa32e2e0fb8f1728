using Integration.Tasks.Messages;

namespace Integration.Tests.Tasks.Messages;

public sealed class FragmentUidTests
{
    // Expected values computed with Python 3.11.7:
    //   python3 -c 'import uuid,hashlib; print(uuid.UUID(hashlib.md5(KEY.encode("utf-8")).hexdigest()))'
    // with KEY = "ticket#ID#123", "", "\u00fcn\u00efc\u00f8d\u00e9" (ünïcødé), "x"*1000, "\U0001F600 task".
    [Theory]
    [InlineData("ticket#ID#123", "c6951f29-e70d-04c9-3733-50f90b248db2")]
    [InlineData("", "d41d8cd9-8f00-b204-e980-0998ecf8427e")]
    [InlineData("\u00fcn\u00efc\u00f8d\u00e9", "2739e4c8-77d9-d84f-0c8c-2184f262bf21")]
    [InlineData("\U0001F600 task", "89b3a72d-2a68-9a30-c716-08bb24bf8add")]
    public void Matches_Python_uuid_of_the_md5_hexdigest(string key, string expected)
    {
        Assert.Equal(Guid.Parse(expected), FragmentUid.FromExternalId(key));
        Assert.Equal(expected, FragmentUid.FromExternalId(key).ToString());
    }

    [Fact]
    public void Matches_Python_for_a_long_key()
    {
        // python3 -c 'import uuid,hashlib; print(uuid.UUID(hashlib.md5(("x"*1000).encode("utf-8")).hexdigest()))'
        Assert.Equal(Guid.Parse("398533d4-8111-e9f6-64b1-f64cb10c4b63"), FragmentUid.FromExternalId(new string('x', 1000)));
    }

    [Fact]
    public void Is_not_the_raw_bytes_constructor_which_reorders_the_first_groups()
    {
#pragma warning disable CA5351 // MD5 is Fragment's id recipe, not security
        var hash = System.Security.Cryptography.MD5.HashData("ticket#ID#123"u8);
#pragma warning restore CA5351
        var fromRawBytes = new Guid(hash);

        Assert.Equal("291f95c6-0de7-c904-3733-50f90b248db2", fromRawBytes.ToString());
        Assert.NotEqual(fromRawBytes, FragmentUid.FromExternalId("ticket#ID#123"));
    }

    [Fact]
    public void Is_stable_and_distinguishes_keys()
    {
        Assert.Equal(FragmentUid.FromExternalId("ticket#ID#124"), FragmentUid.FromExternalId("ticket#ID#124"));
        Assert.NotEqual(FragmentUid.FromExternalId("ticket#ID#123"), FragmentUid.FromExternalId("ticket#ID#124"));
        Assert.NotEqual(FragmentUid.FromExternalId("Ticket#ID#123"), FragmentUid.FromExternalId("ticket#ID#123"));
    }

    [Fact]
    public void Rejects_a_lone_surrogate_like_Python_does_and_null()
    {
        Assert.ThrowsAny<ArgumentException>(() => FragmentUid.FromExternalId("bad\uD800key"));
        Assert.Throws<ArgumentNullException>(() => FragmentUid.FromExternalId(null!));
    }
}
