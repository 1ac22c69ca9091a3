using System.Reflection;
using KanCompile.Symbolic;
using KanCompile.Tests.Support;

namespace KanCompile.Tests.Classification;

/// <summary>ExportCSharp of a classifier: a standalone class returning the class and probabilities exactly as the model does.</summary>
public class ClassifierExportTests
{
    private delegate int PredictWithProbabilities(ReadOnlySpan<double> input, Span<double> probabilities);

    private delegate int PredictClass(ReadOnlySpan<double> input);

    private delegate string PredictName(ReadOnlySpan<double> input);

    [Theory]
    [InlineData(KanClassDecision.Softmax)]
    [InlineData(KanClassDecision.NearestIndex)]
    public void Exported_classifier_agrees_with_the_model_bit_for_bit(KanClassDecision decision)
    {
        var model = new Classifier243(6) { Classes = new KanClasses(["setosa", "versi\"color", "virginica"], decision) };
        Sampling.Randomize(model.Parameters, 3);
        AssertExportMatches(model, model.ExportCSharp("IrisClassifier", "Exported.Classes"), "Exported.Classes.IrisClassifier");
    }

    [Fact]
    public void Exported_logistic_classifier_agrees_with_the_model_bit_for_bit()
    {
        var model = new Moons21(2) { Classes = new KanClasses(["upper", "lower"], KanClassDecision.Logistic) };
        Sampling.Randomize(model.Parameters, 8);
        AssertExportMatches(model, model.ExportCSharp("MoonClassifier"), "MoonClassifier");
    }

    [Fact]
    public void Logit_formulas_export_as_a_classifier()
    {
        var model = new Moons22(1) { Classes = new KanClasses(["upper", "lower"], KanClassDecision.Softmax) };
        model.AutoSymbolic(KanDataset.TwoMoons(100, 1, seed: 1).TrainInputs, SymbolicLibrary.Create(["x", "sin"]));
        KanFormula formula = model.SymbolicFormula(["a", "b"]);
        string source = FormulaExport.ToCSharpClassifier(formula.Outputs, model.Classes, "MoonFormula", "Formulas", ["a", "b"]);
        ExportParity.AssertStandalone(source);
        Type type = InProcessCompiler.Compile(source).GetType("Formulas.MoonFormula")!;
        var predict = Method<PredictWithProbabilities>(type, 2);
        var logits = new double[2];
        var probabilities = new double[2];
        var expected = new double[2];
        foreach (double[] x in Sampling.Inputs(model, 4, 50))
        {
            formula.Evaluate(x, logits);
            Assert.True(model.Classes.TryGetProbabilities(logits, expected));
            Assert.Equal(model.Classes.Decide(logits), predict(x, probabilities));
            Assert.Equal(expected, probabilities);
        }
    }

    private static void AssertExportMatches(KanModel model, string source, string typeName)
    {
        ExportParity.AssertStandalone(source);
        Type type = InProcessCompiler.Compile(source).GetType(typeName) ?? throw new InvalidOperationException($"{typeName} not found");
        Assert.Equal(model.Classes!.Names, (IReadOnlyList<string>)type.GetProperty("ClassNames")!.GetValue(null)!);
        var predict = Method<PredictClass>(type, 1);
        var predictName = type.GetMethod("PredictName")!.CreateDelegate<PredictName>();
        PredictWithProbabilities? withProbabilities = model.Classes.HasProbabilities ? Method<PredictWithProbabilities>(type, 2) : null;
        Assert.Equal(model.Classes.HasProbabilities, withProbabilities is not null);
        var probabilities = new double[model.Classes.Count];
        var expected = new double[model.Classes.Count];
        var seen = new HashSet<int>();
        foreach (double[] x in Sampling.Inputs(model, 5, 200))
        {
            int expectedClass = model.PredictClass(x);
            seen.Add(expectedClass);
            Assert.Equal(expectedClass, predict(x));
            Assert.Equal(model.PredictClassName(x), predictName(x));
            if (withProbabilities is not null)
            {
                model.PredictProbabilities(x, expected);
                Assert.Equal(expectedClass, withProbabilities(x, probabilities));
                Assert.Equal(expected, probabilities);
            }
        }

        Assert.True(seen.Count > 1, "the random model should predict more than one class over the samples");
    }

    private static T Method<T>(Type type, int parameters)
        where T : Delegate =>
        (T)type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "Predict" && m.GetParameters().Length == parameters).CreateDelegate(typeof(T));
}
