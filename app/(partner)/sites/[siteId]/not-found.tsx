import { NotFoundPanel } from "../../not-found-panel";

export const metadata = { title: "Site not found · OsirisCare Central Command" };

export default function SiteNotFound() {
  return <NotFoundPanel what="site" />;
}
