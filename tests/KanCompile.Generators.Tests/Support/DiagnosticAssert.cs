using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace KanCompile.Generators.Tests.Support;

/// <summary>Checks a generator diagnostic: its id, that it points at the model's class name, and its wording.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Asserts <paramref name="run"/> reported exactly one diagnostic, <paramref name="id"/>, located on the
    /// identifier of <c>class <paramref name="className"/></c> (or <c>record</c>) in the first source, whose message contains every
    /// fragment, and that nothing was generated for the faulty model.
    /// </summary>
    public static Diagnostic Single(GeneratorRun run, string source, string id, string className, params string[] messageFragments)
    {
        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("https://github.com/kancompile/kancompile/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), diagnostic.Descriptor.HelpLinkUri);

        // The generator stores locations as plain values (caching), so they come back as file locations.
        Assert.Equal(GeneratorHarness.FileName(0), diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(IdentifierStart(source, className), diagnostic.Location.SourceSpan.Start);
        Assert.Equal(className.Length, diagnostic.Location.SourceSpan.Length);

        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string fragment in messageFragments)
        {
            Assert.True(message.Contains(fragment, StringComparison.Ordinal), "Message of " + id + " lacks \"" + fragment + "\": " + message);
        }

        Assert.Empty(run.Result.GeneratedSources);
        return diagnostic;
    }

    /// <summary>Offset of the class name in <c>class Name</c> (found textually, independent of Roslyn).</summary>
    public static int IdentifierStart(string source, string className)
    {
        MatchCollection matches = Regex.Matches(source, @"\b(?:class|record)\s+(" + Regex.Escape(className) + @")\b");
        Match match = Assert.Single(matches);
        return match.Groups[1].Index;
    }
}
