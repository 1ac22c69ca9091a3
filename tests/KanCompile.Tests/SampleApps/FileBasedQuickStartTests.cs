using KanCompile.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KanCompile.Tests.SampleApps;

/// <summary>
/// samples/quickstart.cs is the README's quick start as a .NET 10 file-based app (<c>dotnet run samples/quickstart.cs</c>).
/// Building it through the SDK takes minutes, so the suite checks what can break cheaply: its directives point at
/// projects that exist, and its code compiles against the current API as the SDK would compile it
/// (a console app with the SDK's implicit usings, nullable on, warnings as errors).
/// </summary>
public sealed class FileBasedQuickStartTests
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    [Fact]
    public void Quick_start_directives_name_existing_projects_and_keep_dynamic_code()
    {
        string path = QuickStartPath();
        string[] directives = File.ReadAllLines(path).Where(line => line.StartsWith("#:", StringComparison.Ordinal)).ToArray();

        Assert.Contains(directives, d => d.StartsWith("#:project ", StringComparison.Ordinal));
        // File-based apps default to PublishAot=true, which turns dynamic code off: kernels would not compile.
        Assert.Contains("#:property PublishAot=false", directives);
        foreach (string directive in directives.Where(d => !d.StartsWith("#:property ", StringComparison.Ordinal)))
        {
            Assert.True(directive.StartsWith("#:project ", StringComparison.Ordinal), $"{directive}: the quick start must build offline from the repository (#:project and #:property only)");
            string project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, directive["#:project ".Length..].Trim()));
            Assert.True(File.Exists(project), $"{directive} names {project}, which does not exist");
        }
    }

    [Fact]
    public void Quick_start_compiles_against_the_current_api()
    {
        // The #: directives are for the SDK; blank them so line numbers in errors stay the file's.
        string source = string.Join('\n', File.ReadAllLines(QuickStartPath()).Select(line => line.StartsWith("#:", StringComparison.Ordinal) ? string.Empty : line));
        string usings = string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n"));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        MetadataReference[] references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(file => (MetadataReference)MetadataReference.CreateFromFile(file))
            .ToArray();
        var compilation = CSharpCompilation.Create(
            "QuickStart",
            [CSharpSyntaxTree.ParseText(source, parse, "quickstart.cs"), CSharpSyntaxTree.ParseText(usings, parse, "ImplicitUsings.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error));

        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);

        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    }

    private static string QuickStartPath()
    {
        string root = RepositoryRoot.Find() ?? throw new InvalidOperationException("KanCompile.sln not found above the test binaries");
        return Path.Combine(root, "samples", "quickstart.cs");
    }
}
