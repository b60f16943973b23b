using System.Text.Json;
using Cairn.Hashing;

namespace Cairn.Pipelines.Weather;

/// <summary>The model card: what the packaged model is, what it was built from, how it scored, and that no one has approved it yet.</summary>
public sealed partial class EvaluateRainModel
{
    private bool WriteModelCard(RainModel model, RainMetrics metrics, RainDrift drift)
    {
        if (ReadTrainingMetrics() is not { } training)
        {
            return false;
        }

        var inputs = new ModelCardInputs(
            model,
            ContentHasher.HashFile(Model).ToString(),
            training,
            metrics,
            drift,
            InputLineage.Of([.. Features.Select(item => item.ItemSpec)]));
        OutputText.Write(ModelCard, ModelCardMarkdown.Render(inputs));
        return true;
    }

    private TrainingMetrics? ReadTrainingMetrics()
    {
        string problem;
        try
        {
            return ModellingJson.Read<TrainingMetrics>(TrainMetrics);
        }
        catch (JsonException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (IOException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message.TrimEnd('.');
        }

        LogCodedError("CAIRN5007", $"train_metrics.json file '{TrainMetrics}' cannot be used for the model card: {problem}; re-run the Train stage to write it again");
        return null;
    }
}
