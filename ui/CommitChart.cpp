#include "CommitChart.h"

#include "state/StateStore.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace codeworm {

namespace {

constexpr int labelEvery = 5;

} // namespace

CommitChart::CommitChart(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Commits per day"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void CommitChart::setDays(const QList<DayCount> &days)
{
    m_days.clear();
    m_values.clear();
    for (const DayCount &day : days) {
        m_days.append(day.day);
        m_values.append(static_cast<int>(day.count));
    }
    m_max = m_values.isEmpty() ? 0 : *std::max_element(m_values.cbegin(), m_values.cend());

    QStringList bars;
    for (int i = 0; i < m_values.size(); ++i) {
        bars.append(barText(i));
    }
    setAccessibleDescription(bars.join(QStringLiteral("; ")));
    update();
}

QString CommitChart::barText(int index) const
{
    if (index < 0 || index >= m_values.size()) {
        return {};
    }
    return tr("%1: %n commit(s)", nullptr, m_values.at(index))
        .arg(QLocale().toString(m_days.at(index), QLocale::LongFormat));
}

QSize CommitChart::sizeHint() const
{
    return {520, 170};
}

QSize CommitChart::minimumSizeHint() const
{
    return {260, 120};
}

QString CommitChart::dayLabel(QDate day) const
{
    return QLocale().toString(day, tr("d MMM", "date format of the chart's day labels"));
}

QRectF CommitChart::plotArea() const
{
    const QFontMetrics metrics(font());
    const qreal left = metrics.horizontalAdvance(QLocale().toString(std::max(m_max, 1))) + 8;
    const qreal top = metrics.height() / 2.0 + 2;
    const qreal bottom = metrics.height() + 6;
    return QRectF(rect()).adjusted(left, top, -4, -bottom);
}

int CommitChart::barAt(const QPoint &pos) const
{
    const QRectF plot = plotArea();
    if (m_values.isEmpty() || plot.width() <= 0 || pos.x() < plot.left() ||
        pos.x() >= plot.right() || pos.y() < 0 || pos.y() > height()) {
        return -1;
    }
    const int index = static_cast<int>((pos.x() - plot.left()) / (plot.width() / m_values.size()));
    return std::clamp(index, 0, static_cast<int>(m_values.size()) - 1);
}

bool CommitChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        // One tooltip per bar: the day and its count.
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = barAt(help->pos());
        if (index >= 0) {
            QToolTip::showText(help->globalPos(), barText(index), this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

void CommitChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette pal = palette();
    const QFontMetrics metrics(font());
    const QRectF plot = plotArea();
    if (plot.width() <= 0 || plot.height() <= 0) {
        return;
    }
    // Edges on whole device pixels keep the bars sharp at any scale factor.
    const qreal ratio = devicePixelRatioF();
    const auto snap = [ratio](qreal v) { return std::round(v * ratio) / ratio; };

    const int top = std::max(m_max, 1);
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawLine(QPointF(plot.left(), snap(plot.bottom())),
                     QPointF(plot.right(), snap(plot.bottom())));
    painter.setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    painter.drawLine(QPointF(plot.left(), snap(plot.top())),
                     QPointF(plot.right(), snap(plot.top())));

    painter.setPen(pal.color(QPalette::WindowText));
    const QRectF maxLabel(0, plot.top() - metrics.height() / 2.0, plot.left() - 4,
                          metrics.height());
    painter.drawText(maxLabel, Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(top));
    const QRectF zeroLabel(0, plot.bottom() - metrics.height() / 2.0, plot.left() - 4,
                           metrics.height());
    painter.drawText(zeroLabel, Qt::AlignRight | Qt::AlignVCenter, QLocale().toString(0));

    const int count = static_cast<int>(m_values.size());
    if (count == 0) {
        return;
    }
    const qreal slot = plot.width() / count;
    const qreal gap = std::max(1.0, slot * 0.2);
    painter.setPen(Qt::NoPen);
    painter.setBrush(pal.color(QPalette::Highlight));
    for (int i = 0; i < count; ++i) {
        if (m_values.at(i) <= 0) {
            continue;
        }
        const qreal left = snap(plot.left() + i * slot + gap / 2);
        const qreal right =
            std::max(snap(plot.left() + (i + 1) * slot - gap / 2), left + 1 / ratio);
        const qreal barTop = snap(plot.bottom() - plot.height() * m_values.at(i) / top);
        painter.drawRect(QRectF(QPointF(left, barTop), QPointF(right, snap(plot.bottom()))));
    }

    painter.setPen(pal.color(QPalette::WindowText));
    for (int i = count - 1; i >= 0; i -= labelEvery) {
        const QString label = dayLabel(m_days.at(i));
        const qreal center = plot.left() + (i + 0.5) * slot;
        const qreal width = metrics.horizontalAdvance(label) + 2;
        // The newest label may not run past the right edge.
        const qreal x = std::clamp(center - width / 2, plot.left(),
                                   width < plot.width() ? plot.right() - width : plot.left());
        painter.drawText(QRectF(x, plot.bottom() + 3, width, metrics.height()), Qt::AlignCenter,
                         label);
    }

    if (m_max == 0) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter, tr("No commits in these days"));
    }
}

} // namespace codeworm
