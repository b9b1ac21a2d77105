/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { patch } from "@web/core/utils/patch";

// The colours of the segment badges: decoration-danger, -warning and -info
// ($o-danger, $o-warning and $o-info of the web client).
export const SEGMENT_COLORS = { hot: "#dc3545", warm: "#ffac00", sleeping: "#17a2b8" };

/**
 * One colour per segment everywhere: a graph grouped by a customer segment
 * draws each segment in its badge's colour, whatever the order of the series.
 */
patch(GraphRenderer.prototype, {
    segmentColors() {
        const { fields, groupBy } = this.model.metaData;
        const colors = {};
        for (const { fieldName } of groupBy || []) {
            const selection = fields[fieldName]?.selection || [];
            if (!selection.some(([value]) => value === "sleeping")) {
                continue;
            }
            for (const [value, label] of selection) {
                if (SEGMENT_COLORS[value]) {
                    colors[label] = SEGMENT_COLORS[value];
                }
            }
        }
        return colors;
    },

    getBarChartData() {
        const data = super.getBarChartData(...arguments);
        const colors = this.segmentColors();
        for (const dataset of data.datasets) {
            if (colors[dataset.label]) {
                dataset.backgroundColor = colors[dataset.label];
            }
        }
        return data;
    },

    getLineChartData() {
        const data = super.getLineChartData(...arguments);
        const colors = this.segmentColors();
        for (const dataset of data.datasets) {
            const color = colors[dataset.label];
            if (color) {
                dataset.borderColor = color;
                dataset.pointBackgroundColor = color;
                dataset.hoverBackgroundColor = color;
                dataset.backgroundColor = `${color}33`;
            }
        }
        return data;
    },
});
