import { NotFoundPanel } from "./not-found-panel";

export const metadata = { title: "Not found · OsirisCare Central Command" };

export default function PartnerNotFound() {
  return <NotFoundPanel />;
}
