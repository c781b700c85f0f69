using System.Security.Cryptography;
using Stepwise.Hub.Server.Storage;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class BlobStoreTests
{
    [Fact]
    public async Task A_received_blob_is_hashed_and_lands_under_its_hash_only_when_committed()
    {
        var store = new BlobStore(Path.Combine(TestHub.NewTempDir(), "blobs"));
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using (var pending = await store.ReceiveAsync(new MemoryStream(bytes), bytes.Length, CancellationToken.None))
        {
            Assert.Equal((sha, bytes.Length, false), (pending.Sha256, (int)pending.Size, pending.TooLarge));
            Assert.False(store.Exists(sha));
            pending.Commit();
        }

        Assert.Equal(Path.Combine(store.Root, sha[..2], sha[2..4], sha), store.PathOf(sha));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(sha)));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Root, "tmp")));
    }

    [Fact]
    public async Task A_discarded_or_oversized_blob_leaves_nothing_behind()
    {
        var store = new BlobStore(Path.Combine(TestHub.NewTempDir(), "blobs"));
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        using (var pending = await store.ReceiveAsync(new MemoryStream(bytes), 50_000, CancellationToken.None))
        {
            Assert.True(pending.TooLarge);
        }

        using (await store.ReceiveAsync(new MemoryStream(bytes), bytes.Length, CancellationToken.None))
        {
        }

        Assert.Empty(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Putting_the_same_bytes_twice_keeps_one_file()
    {
        var store = new BlobStore(Path.Combine(TestHub.NewTempDir(), "blobs"));
        var first = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        var second = await store.PutAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public void Names_that_are_not_lower_case_sha256_never_become_paths(string name)
    {
        var store = new BlobStore(Path.Combine(TestHub.NewTempDir(), "blobs"));
        Assert.Throws<ArgumentException>(() => store.PathOf(name));
        Assert.False(BlobStore.IsSha256(name));
    }
}
