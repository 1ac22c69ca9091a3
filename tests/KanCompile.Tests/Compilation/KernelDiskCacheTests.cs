using KanCompile.Compilation;
using KanCompile.Engine;
using KanCompile.Generators.Model;

namespace KanCompile.Tests.Compilation;

/// <summary>
/// The on-disk kernel cache: entries keyed by the emitted source, written atomically, verified on read (corrupt or
/// truncated entries are deleted, never loaded), and a compile through it stores an image that loads to the same
/// kernel. Every test uses its own directory.
/// </summary>
public sealed class KernelDiskCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kancompile-cache-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void An_entry_reads_back_exactly_and_leaves_no_temporary_file()
    {
        var cache = new KernelCache(_directory);
        byte[] image = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        string key = KernelCache.KeyOf("source");

        Assert.Null(cache.TryRead(key));
        Assert.True(cache.Write(key, image));

        Assert.Equal(image, cache.TryRead(key));
        Assert.Equal(new[] { cache.PathOf(key) }, Directory.GetFiles(_directory));
    }

    [Fact]
    public void Keys_follow_the_source_text()
    {
        Assert.Equal(KernelCache.KeyOf("a"), KernelCache.KeyOf("a"));
        Assert.NotEqual(KernelCache.KeyOf("a"), KernelCache.KeyOf("a "));
        Assert.Matches("^[0-9a-f]{64}$", KernelCache.KeyOf("a"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("empty")]
    [InlineData("foreign")]
    public void A_damaged_entry_is_not_returned_and_is_deleted(string damage)
    {
        var cache = new KernelCache(_directory);
        string key = KernelCache.KeyOf("damaged " + damage);
        Assert.True(cache.Write(key, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()));
        string path = cache.PathOf(key);
        byte[] file = File.ReadAllBytes(path);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, file.AsSpan(0, file.Length - 10).ToArray());
                break;
            case "flipped":
                file[^1] ^= 0x40;
                File.WriteAllBytes(path, file);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            default:
                File.WriteAllBytes(path, "MZ not a kernel cache entry at all, just some other file"u8.ToArray());
                break;
        }

        Assert.Null(cache.TryRead(key));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_unwritable_location_is_no_error()
    {
        string file = Path.Combine(Path.GetTempPath(), "kancompile-not-a-directory-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "x");
        try
        {
            var cache = new KernelCache(file);
            Assert.False(cache.Write(KernelCache.KeyOf("x"), new byte[] { 1, 2, 3 }));
            Assert.Null(cache.TryRead(KernelCache.KeyOf("x")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_compile_stores_its_image_and_a_corrupt_entry_is_compiled_again()
    {
        // A shape no other test compiles.
        var spec = new KernelSpec(new[] { 1, 2, 1 }, 6, 1, KernelBaseFunction.Zero);
        var cache = new KernelCache(_directory);
        string key = KernelCache.KeyOf(KernelCompiler.WriteSource(spec));
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(_directory).FullName, key + ".kernel"), new byte[] { 1, 2, 3 });

        KanKernel kernel = KernelCompiler.Compile(spec, cache);

        byte[]? image = cache.TryRead(key);
        Assert.NotNull(image);
        Assert.True(image!.Length > 1000);
        Assert.Equal(new[] { 1, 2, 1 }, kernel.Widths);
        Assert.IsNotType<ReferenceKernel>(kernel);
        Assert.Same(kernel, KernelCompiler.Compile(spec, cache));
    }
}
