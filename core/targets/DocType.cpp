#include "targets/DocType.h"

#include <algorithm>

namespace codeworm {

const QList<DocType> &DocType::all()
{
    static const QList<DocType> types = {
        {QStringLiteral("function_doc"), QStringLiteral("Documentation"), QString(),
         DocSubject::Function, 100, 200},
        {QStringLiteral("class_doc"), QStringLiteral("Class Documentation"),
         QStringLiteral("classes"), DocSubject::Class, 100, 200},
        {QStringLiteral("file_doc"), QStringLiteral("File Overview"), QStringLiteral("files"),
         DocSubject::File, 100, 200},
        {QStringLiteral("security_review"), QStringLiteral("Security Review"),
         QStringLiteral("reviews/security"), DocSubject::Function, 100, 200},
        {QStringLiteral("til"), QStringLiteral("Today I Learned"), QStringLiteral("til"),
         DocSubject::Function, 50, 100},
        {QStringLiteral("performance_analysis"), QStringLiteral("Performance Analysis"),
         QStringLiteral("reviews/performance"), DocSubject::Function, 100, 200},
        {QStringLiteral("code_evolution"), QStringLiteral("Code Evolution"),
         QStringLiteral("evolution"), DocSubject::Change, 100, 200},
        {QStringLiteral("module_doc"), QStringLiteral("Module Overview"), QStringLiteral("modules"),
         DocSubject::Module, 100, 200},
        {QStringLiteral("pattern_analysis"), QStringLiteral("Pattern Analysis"),
         QStringLiteral("patterns"), DocSubject::Class, 100, 200},
        {QStringLiteral("weekly_summary"), QStringLiteral("Weekly Summary"),
         QStringLiteral("analysis/weekly"), DocSubject::Period, 150, 300},
        {QStringLiteral("monthly_summary"), QStringLiteral("Monthly Summary"),
         QStringLiteral("analysis/monthly"), DocSubject::Period, 200, 400},
    };
    return types;
}

const DocType *DocType::find(const QString &id)
{
    const auto it = std::find_if(all().cbegin(), all().cend(),
                                 [&id](const DocType &type) { return type.id == id; });
    return it == all().cend() ? nullptr : &*it;
}

QStringList DocType::ids()
{
    QStringList ids;
    for (const DocType &type : all()) {
        ids << type.id;
    }
    return ids;
}

} // namespace codeworm
