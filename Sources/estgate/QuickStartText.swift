import EST
import Foundation
import HTTPServer

/// The commands `estgate serve` prints so that a first enrollment can be done by copy and paste.
enum QuickStartText {
    /// `executable` is how this process was started (argv[0]), so the admin commands printed below
    /// work as they are even when estgate is not on PATH, as after `swift run`.
    static func render(dataDirectory: String, address: ListenAddress, executable: String) -> String {
        let host = address.host == "127.0.0.1" || address.host == "::1" || address.host == "0.0.0.0" ? "localhost" : address.host
        let base = "https://\(host):\(address.port)/.well-known/est"
        let credentials = "\(dataDirectory)/\(DemoSetup.credentialsFileName)"
        guard FileManager.default.fileExists(atPath: credentials) else {
            return """
                estgate is serving EST at \(base)

                List pending requests:
                  \(executable) requests list --data-dir \(dataDirectory) --state AwaitingApproval
                """
        }
        return renderDemo(dataDirectory: dataDirectory, base: base, credentials: credentials, executable: executable)
    }

    /// Renders the demo gateway's text: the CSR, enroll, approve and read commands for the demo device.
    private static func renderDemo(dataDirectory: String, base: String, credentials: String, executable: String) -> String {
        let chain = "\(dataDirectory)/\(DemoSetup.caChainFileName)"
        // The password stays in its 0600 file and out of the terminal's scrollback. Inside the
        // double quotes, the shell runs the command substitution that reads it.
        let password = "$(sed -n 's/^password=//p' \(credentials))"

        return """
            estgate is serving EST at \(base)
            CA chain to trust: \(chain)
            Demo device: \(DemoSetup.deviceName) (credentials in \(credentials))

            Enroll (the first answer is 202: the request waits for approval):
              openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout device.key -subj "/CN=\(DemoSetup.deviceName)" -out device.csr
              curl --cacert \(chain) --user "\(DemoSetup.deviceName):\(password)" -H 'Content-Type: application/pkcs10' --data-binary @device.csr -i \(base)/simpleenroll

            List pending requests and approve one (in another shell):
              \(executable) requests list --data-dir \(dataDirectory) --state AwaitingApproval
              \(executable) requests approve <request-id> --data-dir \(dataDirectory) --by admin

            Repeat the curl command to receive the certificate, then read it:
              curl -s --cacert \(chain) --user "\(DemoSetup.deviceName):\(password)" -H 'Content-Type: application/pkcs10' --data-binary @device.csr \(base)/simpleenroll | base64 -d | openssl pkcs7 -inform DER -print_certs
            """
    }
}
