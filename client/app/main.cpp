// natter: the desktop app.
#include "localservercontroller.h"
#include "logging.h"
#include "mainwindow.h"
#include "net/serverbrowser.h"
#include "settings.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSysInfo>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::Profile;
using natter::app::Settings;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Natter"_s);
    QApplication::setApplicationName(u"Natter"_s);
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    // The language comes before the parser, so that --help is translated too: --language CODE on the
    // command line, else the profile's setting, else the system's. Peek at both without parsing twice.
    const QStringList args = QApplication::arguments();
    QString language;
    QString profileName = u"default"_s;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const auto valueOf = [&](const QString &name) -> std::optional<QString> {
            if (a == name && i + 1 < args.size())
                return args.at(i + 1);
            if (a.startsWith(name + u'='))
                return a.mid(name.size() + 1);
            return std::nullopt;
        };
        if (const auto v = valueOf(u"--language"_s))
            language = *v;
        else if (const auto p = valueOf(u"--profile"_s))
            profileName = *p;
    }
    if (language.isEmpty() && Profile::isValidName(profileName))
        language = Settings(Profile::named(profileName).settingsFile).language();
    natter::app::installTranslations(app, language);
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Natter"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Natter: chat on your local network."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOpt(u"profile"_s,
        QApplication::translate("main", "Use a separate profile (settings, accounts, local server): "
                                        "two profiles on one machine are two people."),
        u"name"_s, u"default"_s);
    parser.addOption(profileOpt);
    const QCommandLineOption languageOpt(u"language"_s,
        QApplication::translate("main", "Show the app in this language (for example en or ko) instead of "
                                        "the one in the settings or the system's."),
        u"code"_s);
    parser.addOption(languageOpt);
    const QCommandLineOption localServerOpt(u"local-server"_s,
        QApplication::translate("main", "Start a local server when the app comes up (SQLite in the profile's "
                                        "app-data folder) and fill the sign-in dialog with its address."));
    parser.addOption(localServerOpt);
    const QCommandLineOption portOpt(u"port"_s,
        QApplication::translate("main", "The port for --local-server (default: the one in the settings, 7470; 0 picks a free one)."),
        u"port"_s);
    parser.addOption(portOpt);
    parser.process(app);
    profileName = parser.value(profileOpt);
    if (!Profile::isValidName(profileName)) {
        std::fprintf(stderr, "%s\n", qPrintable(QApplication::translate(
            "main", "natter: profile names are 1 to 64 letters, digits, '_', '.' or '-'")));
        return 2;
    }
    std::optional<quint16> port;
    if (parser.isSet(portOpt)) {
        bool ok = false;
        const uint value = parser.value(portOpt).toUInt(&ok);
        if (!ok || value > 65535) {
            std::fprintf(stderr, "%s\n", qPrintable(QApplication::translate(
                "main", "natter: --port takes a number from 0 to 65535")));
            return 2;
        }
        port = quint16(value);
    }
    const Profile profile = Profile::named(profileName);
    QDir().mkpath(profile.dataDir);
    Settings settings(profile.settingsFile);

    natter::client::ServerBrowser browser;
    if (!browser.start())
        qCWarning(lcUi) << "LAN discovery is off:" << browser.errorString();

    natter::server::ServerConfig serverConfig;
    serverConfig.dbPath = QDir(profile.dataDir).filePath(u"server/natter.db"_s);
    LocalServerController server(serverConfig);

    MainWindow window(settings, browser, server, profile.dataDir);
    window.show();
    window.showSignIn();
    if (parser.isSet(localServerOpt)) {
        // The window fills the sign-in dialog with 127.0.0.1:PORT once the server runs, and reports a
        // failure (port taken, database unusable) like a start from the Server menu.
        server.start(port.value_or(settings.localServerPort()), QSysInfo::machineHostName());
    }
    const int code = app.exec();
    settings.sync();
    return code;
}
