#include "client/app/translations.h"

#include "client/app/applogging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace natter::app {

QString translationResource(const QString &language)
{
    return u":/i18n/natter_%1.qm"_s.arg(language);
}

TranslationResult installTranslations(QCoreApplication &app, const QString &language)
{
    TranslationResult result;
    const bool explicitLanguage = !language.trimmed().isEmpty();
    result.locale = explicitLanguage ? QLocale(language.trimmed()) : QLocale::system();
    if (explicitLanguage)
        QLocale::setDefault(result.locale);

    // QTranslator::load(QLocale, …) walks the locale's UI languages ("ko-KR", "ko", …) until one exists.
    auto *natter = new QTranslator(&app);
    if (natter->load(result.locale, u"natter"_s, u"_"_s, u":/i18n"_s) && QCoreApplication::installTranslator(natter)) {
        result.natter = true;
    } else {
        delete natter;
        if (result.locale.language() != QLocale::English && result.locale.language() != QLocale::C)
            qCInfo(lcUi) << "No Natter translation for" << result.locale.name() << "- using English";
    }

    auto *qt = new QTranslator(&app);
    if (qt->load(result.locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))
        && QCoreApplication::installTranslator(qt)) {
        result.qt = true;
    } else {
        delete qt;
    }
    return result;
}

} // namespace natter::app
