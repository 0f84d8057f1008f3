#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace natter::app {

// Natter's translations are embedded as :/i18n/natter_<lang>.qm (English is the source text, Korean is
// translated; see resources/translations). installTranslations() loads the one for `language` ("ko",
// "ko_KR", "en"; empty = the system's UI languages) and Qt's own qtbase translation for it when the
// system has one (qt6-translations-l10n), installing both on `app` as its children. A language given
// explicitly also becomes the default QLocale, so dates and numbers follow it.
struct TranslationResult {
    QLocale locale;        // the locale asked for
    bool natter = false;   // Natter's own translation was found and installed
    bool qt = false;       // Qt's translation was found and installed
};

TranslationResult installTranslations(QCoreApplication &app, const QString &language);

// The embedded catalogue file for a language code, e.g. ":/i18n/natter_ko.qm".
QString translationResource(const QString &language);

} // namespace natter::app
