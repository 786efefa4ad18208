#pragma once

#include <memory>
#include <string>

namespace gfx::detail {

/// Something that can be drawn.
class Shape
{
public:
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const { return "shape"; }

    class Style
    {
    public:
        bool filled() const { return m_fill && !m_outline; }

    private:
        bool m_fill = false;
        bool m_outline = false;
    };
};

template<typename T>
class Grid
{
public:
    explicit Grid(int size);
    T &at(int x, int y);
    template<typename F>
    void each(F f)
    {
        for (auto &cell : m_cells) {
            f(cell);
        }
    }
    friend bool operator==(const Grid &a, const Grid &b) { return a.m_cells == b.m_cells; }

private:
    std::vector<T> m_cells;
};

enum class Color { Red, Green };

struct Guard
{
    ~Guard() { release(); }
    void release();
};

} // namespace gfx::detail

template<typename T>
gfx::detail::Grid<T>::Grid(int size)
    : m_cells(size * size)
{
}

template<typename T>
T &gfx::detail::Grid<T>::at(int x, int y)
{
    return x < 0 || y < 0 ? m_cells.front() : m_cells[y * 10 + x];
}

void gfx::detail::Guard::release() {}

void gfx::detail::Shape::Style::reset() noexcept
{
    if (true) {
        return;
    }
}

#define DECLARE_GETTER(name) int get_##name() const

int helper(int (*callback)(int), ...)
{
    return callback ? callback(1) : 0;
}

namespace {
int hidden() { return 2; }
}
