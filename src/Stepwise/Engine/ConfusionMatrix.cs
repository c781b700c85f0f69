namespace Stepwise.Engine;

/// <summary>Classification confusion matrix: rows are true classes, columns predicted classes.</summary>
public sealed class ConfusionMatrix
{
    /// <summary>Creates an all-zero matrix for the given classes.</summary>
    public ConfusionMatrix(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ClassNames = [.. classNames];
        Counts = new int[classNames.Count, classNames.Count];
    }

    /// <summary>Counts[true, predicted].</summary>
    public int[,] Counts { get; }

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Total samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>Counts one sample.</summary>
    public void Add(int trueClass, int predictedClass)
    {
        Counts[trueClass, predictedClass]++;
        Total++;
    }

    /// <summary>Each row divided by its sum (the recall of each class on the diagonal); empty rows stay zero.</summary>
    public double[,] Normalized()
    {
        int n = ClassNames.Count;
        var result = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            long sum = 0;
            for (int c = 0; c < n; c++)
            {
                sum += Counts[r, c];
            }

            for (int c = 0; c < n && sum > 0; c++)
            {
                result[r, c] = (double)Counts[r, c] / sum;
            }
        }

        return result;
    }
}
