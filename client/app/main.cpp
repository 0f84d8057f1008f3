// natter: the desktop app.
#include "localservercontroller.h"
#include "logging.h"
#include "mainwindow.h"
#include "net/serverbrowser.h"
#include "settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

#include <cstdio>

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
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Natter"));
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Natter: chat on your local network."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profileOpt(u"profile"_s,
        QApplication::translate("main", "Use a separate profile (settings, accounts, local server): "
                                        "two profiles on one machine are two people."),
        u"name"_s, u"default"_s);
    parser.addOption(profileOpt);
    parser.process(app);
    const QString profileName = parser.value(profileOpt);
    if (!Profile::isValidName(profileName)) {
        std::fprintf(stderr, "%s\n", qPrintable(QApplication::translate(
            "main", "natter: profile names are 1 to 64 letters, digits, '_', '.' or '-'")));
        return 2;
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
    const int code = app.exec();
    settings.sync();
    return code;
}
