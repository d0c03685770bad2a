variable "region" {
  description = "The bucket's region. The policies name it (kms:ViaService), so change it only by rendering again."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Tags added to every resource this configuration creates."
  type        = map(string)
  default     = {}
}
