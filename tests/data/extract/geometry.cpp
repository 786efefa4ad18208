#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace geo {

double clampUnit(double value);

struct Point
{
    double x = 0;
    double y = 0;

    bool operator==(const Point &other) const { return x == other.x && y == other.y; }

    double length() const { return std::sqrt(x * x + y * y); }
};

class Polygon
{
public:
    struct Edge
    {
        Point from;
        Point to;
        double dx() const { return to.x - from.x; }
    };

    explicit Polygon(std::vector<Point> points)
        : m_points(std::move(points))
    {
        if (m_points.size() < 3) {
            throw std::invalid_argument("a polygon needs three points");
        }
    }
    ~Polygon() = default;

    double area() const;
    bool contains(const Point &p) const;

private:
    std::vector<Point> m_points;
};

double Polygon::area() const
{
    double sum = 0;
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const Point &a = m_points[i];
        const Point &b = m_points[(i + 1) % m_points.size()];
        sum += a.x * b.y - b.x * a.y;
    }
    return std::abs(sum) / 2;
}

bool geo::Polygon::contains(const Point &p) const
{
    bool inside = false;
    for (std::size_t i = 0, j = m_points.size() - 1; i < m_points.size(); j = i++) {
        const Point &a = m_points[i];
        const Point &b = m_points[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) {
            inside = !inside;
        }
    }
    return inside;
}

class Canvas
{
public:
    ~Canvas();

private:
    std::vector<Polygon> m_shapes;
};

Canvas::~Canvas()
{
    m_shapes.clear();
}

template<typename T>
T clampTo(T value, T low, T high)
{
    return value < low ? low : (value > high ? high : value);
}

int classify(const std::vector<Point> &points, int mode)
{
    const auto farAway = [](const Point &p) { return p.length() > 100 || std::isnan(p.x); };
    int result = 0;
    switch (mode) {
    case 0:
        result = static_cast<int>(std::count_if(points.begin(), points.end(), farAway));
        break;
    case 1:
    case 2:
        for (const Point &p : points) {
            if (p.x > 0 and p.y > 0) {
                ++result;
            }
        }
        break;
    default:
        break;
    }
    try {
        result = clampTo(result, 0, 10);
    } catch (...) {
        result = -1;
    }
    return result;
}

} // namespace geo

double geo::clampUnit(double value)
{
    return value < 0 ? 0 : value > 1 ? 1 : value;
}

namespace io {

class Handle
{
public:
    explicit operator bool() const { return m_fd >= 0 && !m_closed; }
    operator const int *() const { return &m_fd; }

private:
    int m_fd = -1;
    bool m_closed = false;
};

} // namespace io
