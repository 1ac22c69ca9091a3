using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace KanCompile.Compilation;

/// <summary>
/// Compiled kernel assemblies kept on disk across processes, so a shape compiled once is loaded, not compiled, by
/// every later process. An entry is keyed by a SHA-256 of everything its bits depend on: the emitted source text
/// itself (so another emitter, another branch or a newer package never reads a stale kernel), the .NET runtime,
/// the KanCompile assembly it was compiled against (its module version id) and the Roslyn version.
/// <para>Writes go to a temporary file renamed into place, so concurrent processes never see a half-written entry
/// (both may compile the same shape; either rename wins and the bytes are the same). Every entry carries the
/// SHA-256 of its image: a truncated or corrupt file is deleted and rebuilt, never loaded. Any I/O failure makes
/// the cache a no-op for that call; compiling still works.</para>
/// <para>Location: the AppContext data <see cref="DirectorySetting"/>, else the environment variable
/// <see cref="DirectoryVariable"/>, else <c>KanCompile/kernels</c> under the user's local application data.
/// Off: the AppContext switch <see cref="DisableSwitch"/>, or the variable set to <c>off</c>.</para>
/// </summary>
internal sealed class KernelCache
{
    /// <summary>AppContext data naming the cache directory (<c>RuntimeHostConfigurationOption</c> or <c>AppContext.SetData</c>).</summary>
    public const string DirectorySetting = "KanCompile.KernelCacheDirectory";

    /// <summary>Environment variable naming the cache directory; <c>off</c> turns the cache off.</summary>
    public const string DirectoryVariable = "KANCOMPILE_KERNEL_CACHE";

    /// <summary>AppContext switch that turns the on-disk cache off (kernels are then compiled in every process).</summary>
    public const string DisableSwitch = "KanCompile.DisableKernelCache";

    private const string Extension = ".kernel";
    private static readonly byte[] Magic = "KANKRNL1"u8.ToArray();
    private static readonly int HeaderLength = Magic.Length + sizeof(int) + SHA256.HashSizeInBytes;
    private static readonly Lazy<KernelCache?> LazyDefault = new Lazy<KernelCache?>(CreateDefault);
    private static readonly Lazy<string> Environment = new Lazy<string>(DescribeEnvironment);

    public KernelCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>The process's cache as configured; null when it is switched off.</summary>
    public static KernelCache? Default => LazyDefault.Value;

    /// <summary>Where entries are kept.</summary>
    public string Directory { get; }

    /// <summary>The key of a kernel: hex SHA-256 of its source text and of what compiled and will load it.</summary>
    public static string KeyOf(string source)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(Environment.Value + "\n" + source));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The image stored under <paramref name="key"/>, or null when absent, unreadable or corrupt (then deleted).</summary>
    public byte[]? TryRead(string key)
    {
        string path = PathOf(key);
        byte[] file;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            file = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (Unwrap(file) is byte[] image)
        {
            return image;
        }

        Trace.TraceWarning($"KanCompile: the cached kernel {path} is truncated or corrupt; it is deleted and compiled again.");
        Delete(key);
        return null;
    }

    /// <summary>Stores <paramref name="image"/> under <paramref name="key"/> atomically; false when the directory cannot be written.</summary>
    public bool Write(string key, ReadOnlySpan<byte> image)
    {
        string temporary = Path.Combine(Directory, key + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> length = stackalloc byte[sizeof(int)];
                BitConverter.TryWriteBytes(length, image.Length);
                stream.Write(Magic);
                stream.Write(length);
                stream.Write(SHA256.HashData(image));
                stream.Write(image);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, PathOf(key), overwrite: true);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDeleteFile(temporary);
            return false;
        }
    }

    /// <summary>Removes the entry (a corrupt one, or one that failed to load).</summary>
    public void Delete(string key) => TryDeleteFile(PathOf(key));

    /// <summary>The file of an entry.</summary>
    public string PathOf(string key) => Path.Combine(Directory, key + Extension);

    private static byte[]? Unwrap(byte[] file)
    {
        if (file.Length < HeaderLength || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        int length = BitConverter.ToInt32(file, Magic.Length);
        if (length != file.Length - HeaderLength)
        {
            return null;
        }

        ReadOnlySpan<byte> image = file.AsSpan(HeaderLength);
        ReadOnlySpan<byte> expected = file.AsSpan(Magic.Length + sizeof(int), SHA256.HashSizeInBytes);
        return SHA256.HashData(image).AsSpan().SequenceEqual(expected) ? image.ToArray() : null;
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Another process may hold or have replaced it; the next reader checks it again.
        }
    }

    private static KernelCache? CreateDefault()
    {
        if (AppContext.TryGetSwitch(DisableSwitch, out bool disabled) && disabled)
        {
            return null;
        }

        string? directory = AppContext.GetData(DirectorySetting) as string;
        if (string.IsNullOrEmpty(directory))
        {
            directory = System.Environment.GetEnvironmentVariable(DirectoryVariable);
        }

        if (string.Equals(directory, "off", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.IsNullOrEmpty(directory))
        {
            string root = System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
            {
                return null;
            }

            directory = Path.Combine(root, "KanCompile", "kernels");
        }

        return new KernelCache(directory);
    }

    // What a compiled image depends on besides its source: the runtime it was compiled for, the exact KanCompile
    // build its kernel class derives from, and the compiler.
    private static string DescribeEnvironment() =>
        string.Join(
            "\n",
            System.Environment.Version.ToString(),
            typeof(KanKernel).Assembly.ManifestModule.ModuleVersionId.ToString(),
            typeof(Microsoft.CodeAnalysis.Compilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "roslyn");
}
