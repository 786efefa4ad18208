#pragma once

#include <QDate>
#include <QList>
#include <QWidget>

namespace codeworm {

struct DayCount;

// Commits per day as bars, oldest on the left, painted with QPainter. Every fifth day is
// labelled counting back from the last, so the newest day always has its label.
class CommitChart : public QWidget
{
    Q_OBJECT
public:
    explicit CommitChart(QWidget *parent = nullptr);

    void setDays(const QList<DayCount> &days);
    QList<QDate> days() const { return m_days; }
    QList<int> values() const { return m_values; }
    // "Mon 30 Nov: 3 commits": the bar's tooltip and its part of the accessible description.
    QString barText(int index) const;
    // The bar under a point of the widget, -1 for none.
    int barAt(const QPoint &pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF plotArea() const;
    QString dayLabel(QDate day) const;

    QList<QDate> m_days;
    QList<int> m_values;
    int m_max = 0;
};

} // namespace codeworm
