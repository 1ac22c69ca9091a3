using System.Reflection;
using KanCompile.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests;

/// <summary>Every diagnostic's help link lands on a section of docs/diagnostics.md that names it.</summary>
public sealed class DiagnosticsDocumentationTests
{
    [Fact]
    public void EveryDiagnosticHasASectionMatchingItsHelpLink()
    {
        string projectDirectory = typeof(DiagnosticsDocumentationTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "KanCompile.Generators.Tests.ProjectDirectory").Value!;
        string[] lines = File.ReadAllLines(Path.Combine(projectDirectory, "..", "..", "docs", "diagnostics.md"));

        foreach (DiagnosticDescriptor descriptor in KanDiagnostics.ById.Values)
        {
            // "## KAN0001" renders with the anchor #kan0001, the fragment of the help link.
            int heading = Array.IndexOf(lines, "## " + descriptor.Id);
            Assert.True(heading >= 0, "docs/diagnostics.md has no '## " + descriptor.Id + "' section.");
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains("**" + descriptor.Title + "**", lines.Skip(heading).Take(4));
        }
    }
}
