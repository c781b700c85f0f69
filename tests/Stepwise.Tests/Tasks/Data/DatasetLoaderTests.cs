using Stepwise.Imaging;
using Stepwise.Tasks;
using Stepwise.Tests.Imaging;

namespace Stepwise.Tests.Tasks.Data;

public class DatasetLoaderTests
{
    [Fact]
    public void Shapes_source_loads_the_built_in_dataset_at_the_image_size()
    {
        var data = DatasetLoader.Load("shapes", imgsz: 32, seed: 4);
        Assert.Equal(("shapes:4", 32, 6), (data.Source, data.ImageWidth!.Value, data.ClassNames.Count));
    }

    [Fact]
    public void Shapes_source_with_a_seed_overrides_the_seed_argument()
    {
        var a = DatasetLoader.Load("shapes:9", imgsz: 28, seed: 1);
        var b = ShapesDataset.Generate(seed: 9);
        Assert.Equal("shapes:9", a.Source);
        Assert.Equal(b.Train.Features, a.Train.Features);
    }

    [Fact]
    public void Shapes_source_with_a_bad_seed_is_rejected()
    {
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load("shapes:abc", 28));
        Assert.Contains("'shapes:abc'", ex.Message);
    }

    [Fact]
    public void Shapes_source_with_a_too_small_image_size_is_rejected()
    {
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load("shapes", 4));
        Assert.Contains("image size 4 is too small", ex.Message);
    }

    [Fact]
    public void Unreadable_image_is_rejected_naming_the_file()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        Directory.CreateDirectory(folder.File("val/cat"));

        // A link to nothing: listed in the folder, but reading it fails.
        File.CreateSymbolicLink(folder.File("val/cat/1.png"), folder.File("gone.png"));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains($"'{folder.File("val/cat/1.png")}' cannot be read", ex.Message);
    }

    [Fact]
    public void Unknown_source_is_rejected_naming_it()
    {
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load("no/such/place", 28));
        Assert.Contains("'no/such/place' not found", ex.Message);
        Assert.Equal("no/such/place", ex.Path);
    }

    [Fact]
    public void Image_folder_loads_classes_in_name_order_as_resized_gray_images()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/zebra/a.png", Solid(8, 8, 3, 255));
        WriteImage(folder, "train/zebra/b.png", Solid(16, 12, 1, 200));
        WriteImage(folder, "train/ant/a.png", Solid(4, 4, 4, 0));
        WriteImage(folder, "val/zebra/a.png", Solid(8, 8, 1, 51));
        WriteImage(folder, "val/ant/a.png", Solid(8, 8, 1, 102));

        var data = DatasetLoader.Load(folder.Path, imgsz: 8);

        Assert.Equal(["ant", "zebra"], data.ClassNames);
        Assert.Equal((8, 8, 64), (data.ImageWidth!.Value, data.ImageHeight!.Value, data.FeatureCount));
        Assert.Equal([0, 1, 1], data.Train.Labels);
        Assert.Equal([0, 1], data.Val.Labels);
        Assert.Equal(0f, data.Train.FeaturesAt(0)[10]);
        Assert.Equal(1f, data.Train.FeaturesAt(1)[10]);
        Assert.Equal(200 / 255f, data.Train.FeaturesAt(2)[10]);
        Assert.Equal(0.4f, data.Val.FeaturesAt(0)[0], 5);
        Assert.Equal(folder.File("train/zebra/b.png"), data.Train.Sources![2]);
        Assert.Equal(folder.Path, data.Source);
        Assert.Equal(200, data.Train.ImageAt(2)[3, 3, 0]);
    }

    [Fact]
    public void Image_folder_accepts_test_when_there_is_no_val()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/a/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "test/a/1.png", Solid(2, 2, 1, 0));
        Assert.Equal(1, DatasetLoader.Load(folder.Path, 2).Val.Count);
    }

    [Fact]
    public void Image_folder_skips_hidden_files()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/a/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/a/1.png", Solid(2, 2, 1, 0));
        File.WriteAllText(folder.File("train/a/.DS_Store"), "junk");
        Assert.Equal(1, DatasetLoader.Load(folder.Path, 2).Train.Count);
    }

    [Fact]
    public void Missing_folder_is_rejected_naming_it()
    {
        using var folder = new ImagingTempFolder();
        string missing = folder.File("nothing-here");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.LoadImageFolder(missing, 8));
        Assert.Contains($"'{missing}' does not exist", ex.Message);
    }

    [Fact]
    public void Folder_without_train_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        Directory.CreateDirectory(folder.File("val"));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains("has no 'train' folder", ex.Message);
        Assert.Contains(folder.Path, ex.Message);
    }

    [Fact]
    public void Folder_without_val_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/a/1.png", Solid(2, 2, 1, 0));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains("has no 'val' folder", ex.Message);
    }

    [Fact]
    public void Class_missing_from_val_is_rejected_naming_the_missing_folder()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "train/dog/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/cat/1.png", Solid(2, 2, 1, 0));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains("Class 'dog' is missing from the val split", ex.Message);
        Assert.Equal(Path.Combine(folder.Path, "val", "dog"), ex.Path);
    }

    [Fact]
    public void Class_only_in_val_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/cat/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/emu/1.png", Solid(2, 2, 1, 0));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains("emu", ex.Message);
        Assert.Contains("no matching folder", ex.Message);
    }

    [Fact]
    public void Empty_split_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        Directory.CreateDirectory(folder.File("val"));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains($"'{folder.File("val")}' is empty", ex.Message);
    }

    [Fact]
    public void Empty_class_folder_is_rejected_naming_it()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        Directory.CreateDirectory(folder.File("val/cat"));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains($"'{folder.File("val/cat")}' has no .png images", ex.Message);
    }

    [Fact]
    public void Non_png_file_is_rejected_naming_it()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/cat/1.png", Solid(2, 2, 1, 0));
        File.WriteAllBytes(folder.File("train/cat/2.jpg"), [0xFF, 0xD8, 0xFF]);
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains($"'{folder.File("train/cat/2.jpg")}' is not a PNG image", ex.Message);
    }

    [Fact]
    public void Undecodable_png_is_rejected_naming_the_file_and_the_problem()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        Directory.CreateDirectory(folder.File("val/cat"));
        File.WriteAllText(folder.File("val/cat/1.png"), "this is text, not an image");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains($"'{folder.File("val/cat/1.png")}' cannot be decoded", ex.Message);
        Assert.Contains("wrong signature", ex.Message);
        Assert.IsType<PngFormatException>(ex.InnerException);
    }

    [Fact]
    public void File_outside_a_class_folder_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        WriteImage(folder, "train/cat/1.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "train/stray.png", Solid(2, 2, 1, 0));
        WriteImage(folder, "val/cat/1.png", Solid(2, 2, 1, 0));
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(folder.Path, 8));
        Assert.Contains("stray.png", ex.Message);
        Assert.Contains("not inside a class folder", ex.Message);
    }

    [Fact]
    public void Tabular_split_cannot_be_rendered_as_an_image()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,b,label,split", "1,2,x,train", "3,4,x,val");
        var data = DatasetLoader.Load(csv, 28);
        Assert.Throws<InvalidOperationException>(() => data.Train.ImageAt(0));
    }

    [Fact]
    public void Csv_with_a_split_column_keeps_rows_in_their_split()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "x, y ,label,split", "1.5,2,b,train", "-3e2,4,a,train", "5,6,a,val", "", "7,8,b,VAL");

        var data = DatasetLoader.Load(csv, 28);

        Assert.Equal(["a", "b"], data.ClassNames);
        Assert.Equal(2, data.FeatureCount);
        Assert.Null(data.ImageWidth);
        Assert.Equal([1.5f, 2f, -300f, 4f], data.Train.Features);
        Assert.Equal([1, 0], data.Train.Labels);
        Assert.Equal([5f, 6f, 7f, 8f], data.Val.Features);
        Assert.Equal([0, 1], data.Val.Labels);
        Assert.Equal(csv, data.Source);
    }

    [Fact]
    public void Csv_numeric_labels_sort_by_value()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "f,label,split", "1,10,train", "1,2,train", "1,10,val", "1,2,val");
        Assert.Equal(["2", "10"], DatasetLoader.Load(csv, 28).ClassNames);
    }

    [Fact]
    public void Csv_label_column_can_be_named()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "\"species\",width,\"note, quoted\"", "setosa,1,2", "setosa,3,4", "\"virginica\",5,6", "virginica,7,\"8\"");
        var data = DatasetLoader.LoadCsv(csv, seed: 0, labelColumn: "species");
        Assert.Equal(["setosa", "virginica"], data.ClassNames);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(2, data.Train.Count);
        Assert.Equal(2, data.Val.Count);
    }

    [Fact]
    public void Csv_without_split_column_holds_out_a_seeded_stratified_fifth()
    {
        using var folder = new ImagingTempFolder();
        var lines = new List<string> { "f,label" };
        for (int i = 0; i < 50; i++)
        {
            lines.Add($"{i},{(i % 2 == 0 ? "even" : "odd")}");
        }

        string csv = WriteCsv(folder, [.. lines]);
        var a = DatasetLoader.Load(csv, 28, seed: 1);
        var again = DatasetLoader.Load(csv, 28, seed: 1);
        var other = DatasetLoader.Load(csv, 28, seed: 2);

        Assert.Equal((40, 10), (a.Train.Count, a.Val.Count));
        Assert.Equal(5, a.Val.Labels.Count(l => l == 0));
        Assert.Equal(5, a.Val.Labels.Count(l => l == 1));
        Assert.Equal(a.Val.Features, again.Val.Features);
        Assert.NotEqual(a.Val.Features, other.Val.Features);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i).Order(), a.Train.Features.Concat(a.Val.Features).Order());
    }

    [Fact]
    public void Csv_bad_number_is_rejected_naming_line_and_column()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,b,label", "1,2,x", "1,2,y", "3,abc,x", "1,2,y");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains($"{csv} line 4, column 2 ('b'): 'abc' is not a finite number", ex.Message);
    }

    [Fact]
    public void Csv_infinite_value_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,label", "1,x", "Infinity,x");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("line 3, column 1", ex.Message);
    }

    [Fact]
    public void Csv_row_with_the_wrong_field_count_is_rejected_naming_the_line()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,b,label", "1,2,x", "1,x");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("line 3: expected 3 fields like the header, found 2", ex.Message);
    }

    [Fact]
    public void Csv_without_the_label_column_is_rejected_listing_the_columns()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,b,class", "1,2,x");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("no 'label' column in the header (columns: a, b, class)", ex.Message);
    }

    [Fact]
    public void Csv_with_an_empty_val_split_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,label,split", "1,x,train", "2,y,train");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("the val split is empty", ex.Message);
    }

    [Fact]
    public void Csv_class_missing_from_val_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,label,split", "1,x,train", "2,y,train", "3,x,val");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("class 'y' is missing from the val split", ex.Message);
    }

    [Fact]
    public void Csv_unknown_split_value_is_rejected_naming_line_and_column()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,label,split", "1,x,train", "2,x,holdout");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("line 3, column 3 ('split'): 'holdout' is not 'train' or 'val'", ex.Message);
    }

    [Fact]
    public void Csv_class_with_a_single_row_cannot_be_held_out()
    {
        using var folder = new ImagingTempFolder();
        string csv = WriteCsv(folder, "a,label", "1,x", "2,x", "3,y");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains("class 'y' has only one row", ex.Message);
    }

    [Fact]
    public void Csv_with_no_rows_or_no_features_is_rejected()
    {
        using var folder = new ImagingTempFolder();
        var noRows = Assert.Throws<DatasetException>(() => DatasetLoader.Load(WriteCsv(folder, "a,label"), 28));
        Assert.Contains("no data rows", noRows.Message);
        var noFeatures = Assert.Throws<DatasetException>(() => DatasetLoader.Load(WriteCsv(folder, "label", "x"), 28));
        Assert.Contains("no feature columns", noFeatures.Message);
        var empty = Assert.Throws<DatasetException>(() => DatasetLoader.Load(WriteCsv(folder), 28));
        Assert.Contains("is empty", empty.Message);
    }

    [Fact]
    public void Missing_csv_file_is_rejected_naming_it()
    {
        using var folder = new ImagingTempFolder();
        string csv = folder.File("absent.csv");
        var ex = Assert.Throws<DatasetException>(() => DatasetLoader.Load(csv, 28));
        Assert.Contains($"'{csv}' does not exist", ex.Message);
    }

    private static RasterImage Solid(int width, int height, int channels, byte value)
    {
        var image = new RasterImage(width, height, channels);
        Array.Fill(image.Pixels, value);
        return image;
    }

    private static void WriteImage(ImagingTempFolder folder, string relative, RasterImage image)
    {
        string path = folder.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Png.Save(image, path);
    }

    private static string WriteCsv(ImagingTempFolder folder, params string[] lines)
    {
        string path = folder.File($"data-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
