package io.skeletonssl.report;

import io.skeletonssl.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A training-loss curve as a PNG (XChart), written atomically. */
public final class LossPlot {

    private LossPlot() {
    }

    /** Plots {@code loss} against {@code epoch} (both the same length, at least one point). */
    public static void write(Path png, String title, List<? extends Number> epoch, List<? extends Number> loss)
            throws IOException {
        if (epoch.isEmpty() || epoch.size() != loss.size()) {
            throw new IllegalArgumentException("need equally many epochs and losses (at least one), got "
                    + epoch.size() + " and " + loss.size());
        }
        XYChart chart = new XYChartBuilder().width(720).height(420).title(title)
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setDecimalPattern("#0.###");
        chart.addSeries("loss", epoch, loss).setMarker(SeriesMarkers.CIRCLE);
        AtomicFiles.writeFile(png, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
    }
}
