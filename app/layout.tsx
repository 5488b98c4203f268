import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "OsirisCare Central Command",
  description: "Compliance appliances for the clinics you manage",
};

/**
 * Every page renders per request: the CSP nonce (proxy.ts) changes on each one, and Next can only put
 * it on its scripts in a dynamic render (a prerendered page's scripts would be blocked).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
