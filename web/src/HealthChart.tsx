import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the Health page draws: bars and lines (Chart.js is tree-shaken to these).
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export const PALETTE = ['#1f6f8b', '#c0392b', '#8e44ad', '#d68910', '#117a65', '#5d6d7e', '#b9770e'];

/**
 * One Chart.js canvas. The canvas is an image with a short name; the numbers are in the data table
 * the page puts beside every chart (screen readers, keyboard, copy-paste).
 */
export function HealthChart({ config, label, tall = false }: { config: ChartConfiguration; label: string; tall?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
    });
    return () => chart.destroy();
  }, [config]);
  return (
    <div className={tall ? 'health-chart tall' : 'health-chart'}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
